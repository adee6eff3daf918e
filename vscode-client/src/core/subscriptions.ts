/**
 * The user's topic subscriptions (zaws/subscribe answers), so each zaws/message is shown with who
 * received it ("you", "as sensor_0") and Unsubscribe can offer them by their filters. A
 * subscription the broker ended (zaws/subscriptionEnded) or the server took along when it stopped
 * is forgotten. Pure.
 */
import type { MessageParams, Subscribed } from './deviceProtocol';
import type { MessageEntry } from './messages';

export interface Subscription {
  id: string;
  projectUri: string;
  filters: string[];
  /** "you" or "as <thing>". */
  who: string;
  /** The server's words for the identity. */
  identity: string;
}

export class Subscriptions {
  private readonly byId = new Map<string, Subscription>();

  added(answer: Subscribed, thingName?: string): Subscription {
    const subscription = {
      id: answer.subscriptionId,
      projectUri: answer.projectUri,
      filters: answer.subscriptions.map((s) => s.filter),
      who: thingName ? `as ${thingName}` : 'you',
      identity: answer.identity,
    };
    this.byId.set(subscription.id, subscription);
    return subscription;
  }

  /** Forgets it; the subscription it was, if known. */
  removed(id: string): Subscription | undefined {
    const known = this.byId.get(id);
    this.byId.delete(id);
    return known;
  }

  list(): Subscription[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
  }

  /** A message as a row of the Messages view; its payload the JSON value when it is JSON. */
  entry(message: MessageParams): Omit<MessageEntry, 'seq'> {
    const parsed = Date.parse(message.time);
    const known = this.byId.get(message.subscriptionId);
    const payload = message.payloadText === null
      ? `(${message.size} bytes, not UTF-8) base64: ${message.payloadBase64 ?? ''}`
      : 'payloadJson' in message ? message.payloadJson : message.payloadText;
    return {
      topic: message.topic,
      at: Number.isNaN(parsed) ? Date.now() : parsed,
      payload,
      source: `${known?.who ?? 'subscription'}${message.retain ? ', retained' : ''}`,
    };
  }
}
