/**
 * The simulated devices and subscriptions on VS Code: the server's zaws/deviceEvent, zaws/message
 * and zaws/subscriptionEnded notifications go to the Messages view and to DeviceActivity, whose
 * changes redraw the thing rows (running mark) and fetch the project's Jobs node again (a device
 * moved an execution); the commands' answers are recorded here (DeviceViews). When the server
 * process stops, what it ran is gone: the marks and subscriptions are forgotten.
 */
import * as vscode from 'vscode';
import type { Api } from '../commands/deps';
import type { DeviceViews } from '../commands/deviceViews';
import { DeviceActivity } from '../core/deviceActivity';
import {
  DEVICE_EVENT,
  MESSAGE,
  SUBSCRIPTION_ENDED,
  type DeviceEventParams,
  type DevicesStarted,
  type DevicesStopped,
  type MessageParams,
  type Subscribed,
  type SubscriptionEndedParams,
} from '../core/deviceProtocol';
import { describeError } from '../core/errors';
import { Subscriptions, type Subscription } from '../core/subscriptions';
import type { MessagesView } from '../messages/messagesView';
import type { ZawsServer } from '../server';
import { normalize, type ThingsTree } from '../tree/thingsTree';

export class LiveDevices implements DeviceViews, vscode.Disposable {
  readonly activity: DeviceActivity;
  private readonly subs = new Subscriptions();

  constructor(
    server: ZawsServer,
    private readonly api: Api,
    private readonly tree: ThingsTree,
    private readonly messages: MessagesView,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.activity = new DeviceActivity(
      {
        runningChanged: (projectUri) => tree.devicesChanged(projectUri),
        jobsMoved: (projectUri) => tree.refreshJobs(projectUri),
        relist: (projectUri) => void this.relist(projectUri),
        message: (entry) => messages.add(entry),
      },
      normalize,
    );
    tree.showDevices(this.activity);
    server.onNotification(DEVICE_EVENT, (params: DeviceEventParams) => this.activity.event(params));
    server.onNotification(MESSAGE, (params: MessageParams) => messages.add(this.subs.entry(params)));
    server.onNotification(SUBSCRIPTION_ENDED, (params: SubscriptionEndedParams) => this.subscriptionEnded(params));
    server.onStopped(() => {
      this.activity.forgetAll();
      this.subs.clear();
    });
  }

  started(answer: DevicesStarted): void {
    this.activity.started(answer);
  }

  stopped(answer: DevicesStopped): void {
    this.activity.stopped(answer);
  }

  isRunning(projectUri: string, thing: string): boolean {
    return this.activity.isRunning(projectUri, thing);
  }

  subscribed(answer: Subscribed, thingName?: string): Subscription {
    return this.subs.added(answer, thingName);
  }

  unsubscribed(subscriptionId: string): void {
    this.subs.removed(subscriptionId);
  }

  subscriptions(): Subscription[] {
    return this.subs.list();
  }

  showMessages(): Promise<void> {
    return this.messages.show();
  }

  dispose(): void {
    this.activity.dispose();
  }

  private async relist(projectUri: string): Promise<void> {
    try {
      const list = await this.api.request('zaws/listDevices', { projectUri });
      this.activity.listed(projectUri, list.devices);
    } catch (error) {
      this.log.warn(describeError(error, 'Listing the simulated devices').message);
    }
  }

  private subscriptionEnded(params: SubscriptionEndedParams): void {
    const known = this.subs.removed(params.subscriptionId);
    const what = known ? `${known.filters.join(' ')} (${known.who})` : params.subscriptionId;
    void vscode.window.showWarningMessage(`The subscription to ${what} ended after ${params.received} messages: ${params.error.message}${params.error.hint ? ` (${params.error.hint})` : ''}`);
  }
}
