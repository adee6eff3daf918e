import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceActivity, deviceEventEntry } from '../../src/core/deviceActivity';
import type { DeviceEventParams, SimulatedDevice } from '../../src/core/deviceProtocol';
import { runningThingLook, thingLook } from '../../src/core/treeModel';
import { executionLook } from '../../src/core/jobsModel';

const P = 'file:///ws/blink';

function recorder() {
  const calls: string[] = [];
  const messages: unknown[] = [];
  return {
    calls,
    messages,
    hooks: {
      runningChanged: (uri: string) => calls.push(`running ${uri}`),
      jobsMoved: (uri: string) => calls.push(`jobs ${uri}`),
      relist: (uri: string) => calls.push(`relist ${uri}`),
      message: (entry: unknown) => messages.push(entry),
    },
  };
}

const event = (thing: string, kind: DeviceEventParams['kind'], extra: Partial<DeviceEventParams> = {}): DeviceEventParams => ({
  sessionId: 's1', projectUri: P, thing, kind, text: `${kind} happened`, time: '2026-12-02T00:40:01.250+00:00', data: {}, ...extra,
});

const device = (thing: string, running: boolean): SimulatedDevice => ({
  sessionId: 's1', projectUri: P, thing, running, every: 5, fotaResult: 'succeed', startedAt: '2026-12-02T00:40:00Z', lastEvent: null, lastText: null, lastTime: null,
});

test('started, stopped and listed devices: which things run, each change said once', () => {
  const r = recorder();
  const activity = new DeviceActivity(r.hooks);
  activity.started({ sessionId: 's1', projectUri: P, things: ['s_0', 's_1', 's_2'], every: 5, fotaResult: 'succeed' });
  assert.deepEqual(activity.runningThings(P), ['s_0', 's_1', 's_2']);
  assert.ok(activity.isRunning(P, 's_1'));
  activity.stopped({ stopped: [device('s_1', false)] });
  assert.ok(!activity.isRunning(P, 's_1'));
  activity.listed(P, [device('s_0', true), device('s_2', false)]);
  assert.deepEqual(activity.runningThings(P), ['s_0'], 'a device that ended by itself is listed with running: false');
  activity.listed(P, [device('s_0', true)]);
  assert.deepEqual(r.calls, [`running ${P}`, `running ${P}`, `running ${P}`], 'the same list again changes nothing');
  activity.forgetAll();
  assert.deepEqual(activity.runningThings(P), []);
  assert.equal(r.calls.length, 4);
});

test('project URIs are compared normalized', () => {
  const r = recorder();
  const activity = new DeviceActivity(r.hooks, (uri) => uri.replace(/\/$/, ''));
  activity.started({ sessionId: 's1', projectUri: `${P}/`, things: ['s_0'], every: 5, fotaResult: 'succeed' });
  assert.ok(activity.isRunning(P, 's_0'));
});

test('a published sample is a message on its topic; a command too; other events are notes', () => {
  const sample = deviceEventEntry(event('s_0', 'published', { data: { topic: 's_0/samples', payload: { temperature: 21, uptime_ms: 5000 } } }));
  assert.deepEqual(sample, { topic: 's_0/samples', at: Date.parse('2026-12-02T00:40:01.250Z'), payload: { temperature: 21, uptime_ms: 5000 }, source: 's_0 (simulated)' });
  const command = deviceEventEntry(event('s_0', 'command', { data: { topic: 's_0/commands', payload: 'reboot' } }));
  assert.deepEqual([command.topic, command.payload, command.source], ['s_0/commands', 'reboot', 's_0 (simulated), received']);
  const connected = deviceEventEntry(event('s_0', 'connected', { text: 'connected to the emulator' }));
  assert.deepEqual([connected.topic, connected.payload, connected.note], ['connected', 'connected to the emulator', true]);
});

test('job events: the Jobs node fetches once per burst; a failure keeps its reason for the execution row', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const r = recorder();
  const activity = new DeviceActivity(r.hooks, undefined, 300);
  for (const thing of ['s_0', 's_1', 's_2']) activity.event(event(thing, 'job', { jobId: 'j1', status: 'IN_PROGRESS' }));
  activity.event(event('s_2', 'job', { jobId: 'j1', status: 'FAILED', data: { reason: 'bad crc', check: 'MD5 x != bc_crc y' } }));
  assert.deepEqual(r.calls, [], 'nothing before the delay');
  t.mock.timers.tick(300);
  assert.deepEqual(r.calls, [`jobs ${P}`]);
  assert.equal(activity.jobReason('j1', 's_2'), 'bad crc');
  assert.equal(activity.jobReason('j1', 's_0'), undefined);
  assert.equal(r.messages.length, 4, 'each event is also a row of the Messages view');
  activity.event(event('s_2', 'job', { jobId: 'j1', status: 'IN_PROGRESS' }));
  assert.equal(activity.jobReason('j1', 's_2'), undefined, 'a later move clears it');
  activity.forgetAll();
});

test('an error or a disconnection asks the server whether the device still runs, once per burst', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const r = recorder();
  const activity = new DeviceActivity(r.hooks, undefined, 300);
  activity.event(event('s_0', 'disconnected'));
  activity.event(event('s_0', 'error'));
  activity.event(event('s_0', 'published', { data: { topic: 's_0/samples', payload: {} } }));
  t.mock.timers.tick(300);
  assert.deepEqual(r.calls, [`relist ${P}`]);
});

test('a running thing is marked on its row and offered Stop (context value .running)', () => {
  const thing = { name: 's_0', index: 0, active: true, certArn: '', folder: '', remote: null };
  const look = runningThingLook(thing);
  assert.equal(look.description, 'active · simulated device running');
  assert.equal(look.icon, 'radio-tower');
  assert.equal(look.contextValue, 'zaws.thing.active.running');
  assert.match(look.tooltip, /Messages view/);
  assert.equal(thingLook(thing).contextValue, 'zaws.thing.active');
  const revoked = runningThingLook({ ...thing, certificateStatus: 'REVOKED' });
  assert.equal(revoked.icon, 'error', 'a revoked certificate still shows first');
  assert.equal(revoked.contextValue, 'zaws.thing.revoked.running');
});

test("a failed execution's row says why", () => {
  const failed = executionLook({ thingName: 's_2', targetArn: 'arn', status: 'FAILED', lastUpdated: null, statusDetails: null }, 'bad crc');
  assert.equal(failed.description, 'failed · bad crc');
  assert.match(failed.tooltip, /reason: bad crc/);
  assert.equal(executionLook({ thingName: 's_0', targetArn: 'arn', status: 'SUCCEEDED', lastUpdated: null, statusDetails: null }).description, 'succeeded');
});
