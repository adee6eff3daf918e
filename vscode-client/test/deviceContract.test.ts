/**
 * The simulated-device and subscription side of the client against protocol/openrpc.json (as
 * contract.test.ts does for the other methods): the params the device commands really send, the
 * fake answers they read, and the notifications the client handles (their schemas validate the
 * samples the client's code is tested with).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { checkDevice } from '../src/commands/checkDevice';
import { simulateDevices, stopDevices } from '../src/commands/simulateDevices';
import { subscribeTopic, unsubscribeTopic, YOU_LABEL } from '../src/commands/subscribeTopic';
import { DEVICE_EVENT, DEVICE_METHODS, MESSAGE, SUBSCRIPTION_ENDED, type DeviceEventParams, type MessageParams, type SubscriptionEndedParams } from '../src/core/deviceProtocol';
import type { Method } from '../src/core/protocol';
import { P, thingList, things } from './commands/answers';
import { deviceCheck, devicesStarted, devicesStopped, FakeDeviceViews, simulatedDevice, subscribed } from './commands/deviceAnswers';
import { fakeDeps } from './commands/fakes';

interface Descriptor { name?: string; required?: boolean; schema?: unknown; $ref?: string }
interface OpenRpc {
  methods: { name: string; params: Descriptor[]; result: { schema: unknown } }[];
  components: { contentDescriptors: Record<string, Descriptor>; schemas: Record<string, unknown> };
  'x-notifications': { name: string; params: Descriptor[] }[];
}

const contract = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'protocol', 'openrpc.json'), 'utf8')) as OpenRpc;
const ID = 'zaws-openrpc';
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(contract, ID);
const rebase = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === 'object') return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${ID}${v}` : rebase(v)]));
  return schema;
};
const resolved = (d: Descriptor): Descriptor => (d.$ref ? contract.components.contentDescriptors[d.$ref.split('/').pop()!]! : d);
const objectOf = (params: Descriptor[]) => ({
  type: 'object',
  properties: Object.fromEntries(params.map(resolved).map((p) => [p.name!, rebase(p.schema)])),
  required: params.map(resolved).filter((p) => p.required).map((p) => p.name!),
  additionalProperties: false,
});
const method = (name: string) => {
  const m = contract.methods.find((x) => x.name === name);
  assert.ok(m, `${name} is in the contract`);
  return m;
};
function valid(schema: unknown, value: unknown, what: string): void {
  const validate = ajv.compile(schema as object);
  assert.ok(validate(value), `${what} ${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`);
}

test('the device methods are in the contract', () => {
  for (const name of DEVICE_METHODS) method(name);
});

test('every device request the commands send is valid, and the fake answers are valid results', async () => {
  const { deps, api, ui } = fakeDeps({
    answers: ['+/samples dev_0/commands', YOU_LABEL, '#', 'dev_1'],
    responders: {
      'zaws/listThings': () => thingList(things(3)),
      'zaws/startDevices': (p) => devicesStarted(p),
      'zaws/stopDevices': (p) => devicesStopped(p.thingNames ?? ['dev_0']),
      'zaws/subscribe': (p) => subscribed(p),
      'zaws/unsubscribe': (p) => ({ subscriptionId: p.subscriptionId, received: 3, seconds: 1.5 }),
      'zaws/checkDevice': (p) => deviceCheck(p.thingName ?? 'dev_0', false),
    },
  });
  const devices = new FakeDeviceViews();
  await simulateDevices(deps, devices, P, ['dev_0'], { every: 0.5, fotaResult: 'fail-md5' });
  await simulateDevices(deps, devices, P, undefined);
  await stopDevices(deps, devices, P, ['dev_0']);
  await stopDevices(deps, devices, P);
  await stopDevices(deps, devices, undefined);
  await subscribeTopic(deps, devices, P);
  await unsubscribeTopic(deps, devices);
  await subscribeTopic(deps, devices, P);
  await checkDevice(deps, P, 'dev_0');
  assert.equal(ui.unused, 0);
  const asked = new Set(api.sent.map((s) => s.method));
  for (const name of DEVICE_METHODS.filter((m) => m !== 'zaws/listDevices')) assert.ok(asked.has(name), `the flows send ${name}`);
  for (const sent of api.sent) valid(objectOf(method(sent.method).params), sent.params, `${sent.method} params`);
  const results: [Method, unknown][] = [
    ['zaws/startDevices', devicesStarted({ projectUri: P, thingNames: ['dev_0'] })],
    ['zaws/stopDevices', devicesStopped(['dev_0', 'dev_1'])],
    ['zaws/listDevices', { devices: [simulatedDevice('dev_0', true), { ...simulatedDevice('dev_1'), lastEvent: null, lastText: null, lastTime: null }] }],
    ['zaws/subscribe', subscribed({ projectUri: P, filters: ['#'], thingName: 'dev_0', qos: 0 })],
    ['zaws/unsubscribe', { subscriptionId: 'sub-1', received: 0, seconds: 0.1 }],
    ['zaws/checkDevice', deviceCheck('dev_0')],
  ];
  for (const [name, result] of results) valid(rebase(method(name).result.schema), result, `${name} result`);
});

test('the notifications the client handles have the params it reads', () => {
  const notification = (name: string) => {
    const n = contract['x-notifications'].find((x) => x.name === name);
    assert.ok(n, `${name} is in the contract`);
    return objectOf(n.params);
  };
  const events: DeviceEventParams[] = [
    { sessionId: 's', projectUri: P, thing: 'dev_0', kind: 'published', text: 'published', time: '2026-12-02T00:40:01.250+00:00', data: { topic: 'dev_0/samples', payload: { temperature: 21 } } },
    { sessionId: 's', projectUri: P, thing: 'dev_0', kind: 'job', text: 'job j1 FAILED (bad crc)', time: '2026-12-02T00:40:01.250+00:00', jobId: 'j1', status: 'FAILED', data: { reason: 'bad crc', ok: true } },
  ];
  for (const e of events) valid(notification(DEVICE_EVENT), e, DEVICE_EVENT);
  const messages: MessageParams[] = [
    { subscriptionId: 'sub-1', topic: 'dev_0/samples', payloadText: '{"t":1}', payloadJson: { t: 1 }, size: 7, qos: 1, retain: false, time: '2026-12-02T00:40:01.250Z' },
    { subscriptionId: 'sub-1', topic: 'raw', payloadText: null, payloadBase64: '/w==', size: 1, qos: 0, retain: true, time: '2026-12-02T00:40:01.250Z' },
  ];
  for (const m of messages) valid(notification(MESSAGE), m, MESSAGE);
  const ended: SubscriptionEndedParams = { subscriptionId: 'sub-1', received: 3, error: { code: 'zaws.remote', message: 'the broker closed the connection', hint: null } };
  valid(notification(SUBSCRIPTION_ENDED), ended, SUBSCRIPTION_ENDED);
});
