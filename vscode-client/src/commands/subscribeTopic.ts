/**
 * Subscribe to Topic and Unsubscribe. Subscribe asks for the topic filters (checked as you type)
 * and who subscribes: you, with your AWS identity (the default: no device's client id is used, so
 * no board or simulated device is thrown off), or a thing of the project, to see what its policy
 * lets it receive. zaws/subscribe answers once the broker granted the filters; the messages then
 * arrive in the Messages view, which opens. Unsubscribe picks one of the subscriptions made.
 */
import type { Deps, PickItem } from './deps';
import type { DeviceViews } from './deviceViews';
import { chooseProject, listThings, Problem, required } from './shared';
import type { Subscribed, Unsubscribed } from '../core/deviceProtocol';
import { splitFilters, topicFiltersProblem } from '../core/topicFilters';

const TITLE = 'Subscribe to Topic';
export const YOU_LABEL = 'You (your AWS identity)';

export async function subscribeTopic(deps: Deps, devices: DeviceViews, projectUri?: string, suggestion = '+/samples'): Promise<Subscribed> {
  const project = await chooseProject(deps, projectUri);
  const text = required(await deps.ui.input({
    title: `${TITLE} (1/2)`,
    prompt: 'MQTT topic filters, separated by spaces (at most 8): + is one level, # the rest',
    value: suggestion,
    validate: topicFiltersProblem,
  }));
  const filters = splitFilters(text);
  const things = await listThings(deps, project);
  const items: PickItem<{ thingName?: string }>[] = [
    { label: YOU_LABEL, description: 'recommended: no device is disconnected', detail: 'Over a signed WebSocket, with a client id of your own.', value: {} },
    ...things.map((t) => ({
      label: t.name,
      description: devices.isRunning(project, t.name) ? 'runs as a simulated device: subscribing as it would throw it off' : 'as this thing: its certificate, client id and policy',
      value: { thingName: t.name },
    })),
  ];
  const { thingName } = required(await deps.ui.pick(items, { title: `${TITLE} (2/2)`, placeHolder: 'Subscribe as whom?' }));
  const answer = await deps.api.request('zaws/subscribe', { projectUri: project, filters, ...(thingName ? { thingName } : {}) });
  const subscription = devices.subscribed(answer, thingName);
  await devices.showMessages();
  void deps.ui.info(`Subscribed to ${subscription.filters.join(' ')} ${thingName ? `as ${thingName}` : 'as you'}. Messages: Messages view.`);
  return answer;
}

export async function unsubscribeTopic(deps: Deps, devices: DeviceViews): Promise<Unsubscribed> {
  const subscriptions = devices.subscriptions();
  if (subscriptions.length === 0) throw new Problem('No subscription to end: subscribe with "Zerynth AWS: Subscribe to Topic".');
  const id = subscriptions.length === 1
    ? subscriptions[0]!.id
    : required(await deps.ui.pick(subscriptions.map((s) => ({ label: s.filters.join(' '), description: s.who, detail: s.identity, value: s.id })), { title: 'Unsubscribe', placeHolder: 'Which subscription?' }));
  const answer = await deps.api.request('zaws/unsubscribe', { subscriptionId: id });
  const known = subscriptions.find((s) => s.id === id);
  devices.unsubscribed(id);
  void deps.ui.info(`Unsubscribed from ${known?.filters.join(' ') ?? id} (${answer.received} ${answer.received === 1 ? 'message' : 'messages'}).`);
  return answer;
}
