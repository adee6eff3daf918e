/** Server answers of the simulated-device and subscription methods, shaped as the contract says, and a fake DeviceViews. */
import type { DeviceViews } from '../../src/commands/deviceViews';
import type { DeviceCheck, DevicesStarted, DevicesStopped, SimulatedDevice, StartDevicesParams, Subscribed, SubscribeParams } from '../../src/core/deviceProtocol';
import { Subscriptions } from '../../src/core/subscriptions';
import { P } from './answers';

export function devicesStarted(params: StartDevicesParams, all: string[] = ['dev_0', 'dev_1', 'dev_2']): DevicesStarted {
  return { sessionId: 'session-1', projectUri: params.projectUri, things: params.thingNames ?? all, every: params.every ?? 5, fotaResult: params.fotaResult ?? 'succeed' };
}

export function simulatedDevice(thing: string, running = false): SimulatedDevice {
  return { sessionId: 'session-1', projectUri: P, thing, running, every: 5, fotaResult: 'succeed', startedAt: '2026-12-02T00:40:00.000+00:00', lastEvent: 'disconnected', lastText: 'disconnected: stopped', lastTime: '2026-12-02T00:41:00.000+00:00' };
}

export function devicesStopped(things: string[]): DevicesStopped {
  return { stopped: things.map((t) => simulatedDevice(t)) };
}

export function subscribed(params: SubscribeParams): Subscribed {
  return {
    subscriptionId: 'sub-1',
    projectUri: params.projectUri,
    clientId: params.thingName ?? 'zaws-user-1a2b',
    identity: params.thingName ? `thing ${params.thingName}` : 'arn:aws:iam::123456789012:user/dev',
    endpoint: 'local emulator (127.0.0.1:8883)',
    subscriptions: params.filters.map((filter) => ({ filter, grantedQos: params.qos ?? 1 })),
  };
}

export function deviceCheck(thing: string, ok = true): DeviceCheck {
  return {
    thing,
    clientId: thing,
    endpoint: 'local emulator (127.0.0.1:8883)',
    ok,
    steps: [
      { name: 'connect', ok: true, words: 'connected as client id dev_0', why: [] },
      { name: 'samples', ok, words: ok ? 'published to dev_0/samples and received it back' : 'publishing to dev_0/samples was refused', why: ok ? [] : ['no statement allows iot:Publish on topic/dev_0/samples'] },
    ],
    authorization: ['not asked: the emulator has no TestAuthorization'],
  };
}

export class FakeDeviceViews implements DeviceViews {
  readonly running = new Set<string>();
  readonly subs = new Subscriptions();
  messagesShown = 0;
  started(answer: DevicesStarted): void {
    for (const t of answer.things) this.running.add(t);
  }
  stopped(answer: DevicesStopped): void {
    for (const d of answer.stopped) this.running.delete(d.thing);
  }
  isRunning(_projectUri: string, thing: string): boolean {
    return this.running.has(thing);
  }
  subscribed(answer: Subscribed, thingName?: string) {
    return this.subs.added(answer, thingName);
  }
  unsubscribed(id: string): void {
    this.subs.removed(id);
  }
  subscriptions() {
    return this.subs.list();
  }
  showMessages(): Promise<void> {
    this.messagesShown += 1;
    return Promise.resolve();
  }
}
