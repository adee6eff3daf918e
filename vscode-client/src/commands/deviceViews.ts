/**
 * What the simulated-device and subscription commands need besides Deps: to record what the server
 * answered (running devices, subscriptions) and to open the Messages view. ../devices/liveDevices.ts
 * implements it on VS Code; tests pass a fake.
 */
import type { DevicesStarted, DevicesStopped, FotaResult, Subscribed } from '../core/deviceProtocol';
import type { Subscription } from '../core/subscriptions';

export interface DeviceViews {
  started(answer: DevicesStarted): void;
  stopped(answer: DevicesStopped): void;
  isRunning(projectUri: string, thing: string): boolean;
  subscribed(answer: Subscribed, thingName?: string): Subscription;
  unsubscribed(subscriptionId: string): void;
  subscriptions(): Subscription[];
  showMessages(): Promise<void>;
}

/** The settings `zaws.devices.sampleInterval` and `zaws.devices.fotaResult`. */
export interface DeviceOptions {
  every?: number;
  fotaResult?: FotaResult;
}
