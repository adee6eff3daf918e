import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDevice, SHOW_CHECK_DETAILS } from '../../src/commands/checkDevice';
import { simulateDevices, stopDevices } from '../../src/commands/simulateDevices';
import { subscribeTopic, unsubscribeTopic, YOU_LABEL } from '../../src/commands/subscribeTopic';
import { P, thingList, things } from './answers';
import { deviceCheck, devicesStarted, devicesStopped, FakeDeviceViews, subscribed } from './deviceAnswers';
import { fakeDeps } from './fakes';

test('Simulate Device on a row runs that thing; the row is marked running and the Messages view opens', async () => {
  const { deps, api, ui } = fakeDeps({ responders: { 'zaws/startDevices': (p) => devicesStarted(p) } });
  const devices = new FakeDeviceViews();
  await simulateDevices(deps, devices, P, ['dev_1'], { every: 2, fotaResult: 'fail-md5' });
  assert.deepEqual(api.sent.map((s) => s.params), [{ projectUri: P, thingNames: ['dev_1'], every: 2, fotaResult: 'fail-md5' }]);
  assert.ok(devices.isRunning(P, 'dev_1'));
  assert.equal(devices.messagesShown, 1);
  assert.deepEqual(ui.infos, ['dev_1 runs as a simulated device: a sample every 2 s; FOTA downloads fail their MD5 check (FAILED, "bad crc"). Messages: Messages view.']);
});

test('Simulate All Things asks for every thing of the project, with the server\'s defaults', async () => {
  const { deps, api, ui } = fakeDeps({ responders: { 'zaws/startDevices': (p) => devicesStarted(p) } });
  const devices = new FakeDeviceViews();
  await simulateDevices(deps, devices, undefined, undefined);
  assert.deepEqual(api.sent.map((s) => s.params), [{ projectUri: P, allThings: true }]);
  assert.deepEqual([...devices.running], ['dev_0', 'dev_1', 'dev_2']);
  assert.match(ui.infos[0]!, /^3 things run as simulated devices: a sample every 5 s; FOTA jobs succeed/);
});

test('Stop on a row stops that thing; from the palette every device; the answer lists what stopped', async () => {
  const { deps, api, ui } = fakeDeps({ responders: { 'zaws/stopDevices': (p) => devicesStopped(p.thingNames ?? (p.all ? ['dev_0', 'dev_1'] : [])) } });
  const devices = new FakeDeviceViews();
  devices.running.add('dev_0').add('dev_1');
  await stopDevices(deps, devices, P, ['dev_1']);
  assert.ok(!devices.isRunning(P, 'dev_1') && devices.isRunning(P, 'dev_0'));
  await stopDevices(deps, devices, undefined);
  await stopDevices(deps, devices, P);
  assert.deepEqual(api.sent.map((s) => s.params), [{ projectUri: P, thingNames: ['dev_1'] }, { all: true }, { projectUri: P }]);
  assert.deepEqual(ui.infos, ['Stopped the simulated device dev_1.', 'Stopped 2 simulated devices: dev_0, dev_1.', 'No simulated device was running.']);
});

test('Subscribe to Topic as you: filters checked as typed, no thing name sent; messages shown as "you"', async () => {
  const { deps, api, ui } = fakeDeps({
    answers: ['+/samples dev_0/commands', YOU_LABEL],
    responders: { 'zaws/listThings': () => thingList(things(2)), 'zaws/subscribe': (p) => subscribed(p) },
  });
  const devices = new FakeDeviceViews();
  await subscribeTopic(deps, devices);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, filters: ['+/samples', 'dev_0/commands'] });
  assert.deepEqual(devices.subscriptions().map((s) => [s.filters, s.who]), [[['+/samples', 'dev_0/commands'], 'you']]);
  assert.equal(devices.messagesShown, 1);
  assert.deepEqual(ui.infos, ['Subscribed to +/samples dev_0/commands as you. Messages: Messages view.']);
  const entry = devices.subs.entry({ subscriptionId: 'sub-1', topic: 'dev_0/samples', payloadText: '{"t":1}', payloadJson: { t: 1 }, size: 7, qos: 1, retain: false, time: '2026-12-02T00:40:00.000Z' });
  assert.deepEqual([entry.payload, entry.source], [{ t: 1 }, 'you']);
});

test('Subscribe to Topic as a thing says which things run as devices; a bad filter is refused as typed', async () => {
  let offered: { label: string; description?: string }[] = [];
  const { deps, api } = fakeDeps({
    answers: ['dev_1/#', (items) => {
      offered = items;
      return items.find((i) => i.label === 'dev_1')?.value;
    }],
    responders: { 'zaws/listThings': () => thingList(things(2)), 'zaws/subscribe': (p) => subscribed(p) },
  });
  const devices = new FakeDeviceViews();
  devices.running.add('dev_0');
  await subscribeTopic(deps, devices, P);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, filters: ['dev_1/#'], thingName: 'dev_1' });
  assert.match(offered.find((i) => i.label === 'dev_0')?.description ?? '', /runs as a simulated device/);
  assert.deepEqual(devices.subscriptions().map((s) => s.who), ['as dev_1']);
  const bad = fakeDeps({ answers: ['dev_1/#/x'] });
  await assert.rejects(subscribeTopic(bad.deps, devices, P), /invalid: dev_1\/#\/x: # must be a whole level/);
});

test('Unsubscribe ends the only subscription without asking; none: says how to make one', async () => {
  const { deps, api, ui } = fakeDeps({ responders: { 'zaws/unsubscribe': (p) => ({ subscriptionId: p.subscriptionId, received: 12, seconds: 3.5 }) } });
  const devices = new FakeDeviceViews();
  await assert.rejects(unsubscribeTopic(deps, devices), /No subscription to end/);
  devices.subscribed(subscribed({ projectUri: P, filters: ['#'] }));
  await unsubscribeTopic(deps, devices);
  assert.deepEqual(api.sent.map((s) => s.params), [{ subscriptionId: 'sub-1' }]);
  assert.deepEqual(devices.subscriptions(), []);
  assert.deepEqual(ui.infos, ['Unsubscribed from # (12 messages).']);
});

test('Check Device Connection: progress, the result in a notification, the steps on Show Details', async () => {
  const { deps, api, ui } = fakeDeps({
    answers: ['dev_1'],
    responders: { 'zaws/listThings': () => thingList(things(2)), 'zaws/checkDevice': (p) => deviceCheck(p.thingName ?? 'dev_0', p.thingName !== 'dev_1') },
  });
  ui.infoAction = SHOW_CHECK_DETAILS;
  await checkDevice(deps, P, 'dev_0');
  await checkDevice(deps);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(api.sent.filter((s) => s.method === 'zaws/checkDevice').map((s) => [s.params, s.hadToken]), [[{ projectUri: P, thingName: 'dev_0' }, true], [{ projectUri: P, thingName: 'dev_1' }, true]]);
  assert.deepEqual(ui.progressTitles, ['Checking the connection of dev_0', 'Checking the connection of dev_1']);
  assert.deepEqual(ui.infos, ['dev_0 connects and may do what its firmware does (connect, samples).']);
  assert.deepEqual(ui.warnings, ['dev_1: 1 check failed. samples: publishing to dev_0/samples was refused']);
  assert.equal(ui.reports.length, 2);
  assert.match(ui.reports[1]!.markdown, /\| samples \| \*\*failed\*\* \|[\s\S]*Why the policy refused[\s\S]*iot:Publish/);
});
