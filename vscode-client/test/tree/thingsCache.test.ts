import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThingsCache } from '../../src/tree/thingsCache';
import type { ThingInfo } from '../../src/core/protocol';

const P = 'file:///ws/blink';
const thing = (name: string, active = false): ThingInfo => ({ name, index: 0, active, certArn: '', folder: '', remote: null });

/** A fake listThings whose answers the test releases one by one, in any order. */
function controlledServer() {
  const calls: { resolve: (things: ThingInfo[]) => void; reject: (error: Error) => void }[] = [];
  const fetch = (_uri: string) => new Promise<ThingInfo[]>((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, fetch };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

test('a burst of reloads becomes one fetch after the delay; the old list stays meanwhile', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const server = controlledServer();
  const loaded: string[] = [];
  const cache = new ThingsCache(server.fetch, String, (uri) => loaded.push(uri), 150);
  const first = cache.load(P);
  server.calls[0]!.resolve([thing('a_0', true)]);
  await first;
  for (let i = 0; i < 50; i++) cache.reload(P);
  assert.equal(server.calls.length, 1, 'nothing fetched before the delay');
  assert.deepEqual(cache.get(P), { things: [thing('a_0', true)] }, 'the old list is still shown');
  t.mock.timers.tick(150);
  assert.equal(server.calls.length, 2, 'one fetch for the whole burst');
  server.calls[1]!.resolve([thing('a_0'), thing('a_1', true)]);
  await flush();
  assert.deepEqual(cache.get(P), { things: [thing('a_0'), thing('a_1', true)] });
  assert.deepEqual(loaded, [P, P]);
  cache.forgetAll();
});

test('when fetches overlap, an older answer arriving last is ignored', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const server = controlledServer();
  const cache = new ThingsCache(server.fetch, String, () => undefined, 100);
  void cache.load(P);
  cache.reload(P);
  t.mock.timers.tick(100);
  assert.equal(server.calls.length, 2);
  server.calls[1]!.resolve([thing('new', true)]);
  await flush();
  server.calls[0]!.resolve([thing('old', true)]);
  await flush();
  assert.deepEqual(cache.get(P), { things: [thing('new', true)] });
});

test('concurrent first loads share one fetch; forgetAll drops answers in flight', async () => {
  const server = controlledServer();
  const cache = new ThingsCache(server.fetch, String, () => undefined);
  const [a, b] = [cache.load(P), cache.load(P)];
  assert.equal(server.calls.length, 1);
  cache.forgetAll();
  server.calls[0]!.resolve([thing('stale')]);
  await Promise.all([a, b]);
  assert.equal(cache.get(P), undefined, 'an answer from before forgetAll is not kept');
});

test('a failed fetch is kept as an error message', async () => {
  const server = controlledServer();
  const cache = new ThingsCache(server.fetch, (error, uri) => `${uri}: ${(error as Error).message}`, () => undefined);
  const loading = cache.load(P);
  server.calls[0]!.reject(new Error('server down'));
  assert.deepEqual(await loading, { error: `${P}: server down` });
  assert.deepEqual(cache.get(P), { error: `${P}: server down` });
});

test('changes that keep coming still refresh the list every delay (a throttle, not a debounce)', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const server = controlledServer();
  const cache = new ThingsCache(server.fetch, String, () => undefined, 150);
  for (let i = 0; i < 6; i++) {
    cache.reload(P);
    t.mock.timers.tick(50);
  }
  assert.equal(server.calls.length, 2, 'fetched at 150 ms and 300 ms while changes kept coming');
  cache.forgetAll();
});

test('remote status, once checked, is kept when a later local list arrives', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const asked: boolean[] = [];
  const cache = new ThingsCache((_uri, remote) => {
    asked.push(remote);
    const status = remote ? { thingExists: true, certificateStatus: 'ACTIVE' } : null;
    return Promise.resolve([{ ...thing('a_0', true), remote: status }, { ...thing('a_1'), remote: remote ? { thingExists: false, certificateStatus: null } : null }]);
  }, String, () => undefined, 10);
  await cache.load(P);
  await cache.checkRemote(P);
  cache.reload(P);
  t.mock.timers.tick(10);
  await flush();
  assert.deepEqual(asked, [false, true, false]);
  const loaded = cache.get(P);
  assert.ok(loaded && 'things' in loaded);
  assert.deepEqual(loaded.things.map((x) => x.remote), [{ thingExists: true, certificateStatus: 'ACTIVE' }, { thingExists: false, certificateStatus: null }]);
});

test('a thing whose certificate zaws changed since the check loses its stale remote status', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let revoked = false;
  const cache = new ThingsCache((_uri, remote) => Promise.resolve([
    { ...thing('a_0'), remote: remote ? { thingExists: true, certificateStatus: 'ACTIVE' } : null, certificateStatus: revoked ? 'REVOKED' as const : null },
    { ...thing('a_1'), remote: remote ? { thingExists: true, certificateStatus: 'ACTIVE' } : null, certificateStatus: null },
  ]), String, () => undefined, 10);
  await cache.checkRemote(P);
  revoked = true;
  cache.reload(P);
  t.mock.timers.tick(10);
  await flush();
  const loaded = cache.get(P);
  assert.ok(loaded && 'things' in loaded);
  assert.deepEqual(loaded.things.map((x) => [x.certificateStatus, x.remote]), [['REVOKED', null], [null, { thingExists: true, certificateStatus: 'ACTIVE' }]]);
  cache.forgetAll();
});

test('a thing whose certificate was rotated since the check loses its stale remote status', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let rotated = false;
  const cache = new ThingsCache((_uri, remote) => Promise.resolve([
    { ...thing('a_0'), certArn: rotated ? 'arn:new' : 'arn:old', remote: remote ? { thingExists: true, certificateStatus: 'ACTIVE' } : null },
    { ...thing('a_1'), certArn: 'arn:other', remote: remote ? { thingExists: true, certificateStatus: 'ACTIVE' } : null },
  ]), String, () => undefined, 10);
  await cache.checkRemote(P);
  rotated = true;
  cache.reload(P);
  t.mock.timers.tick(10);
  await flush();
  const loaded = cache.get(P);
  assert.ok(loaded && 'things' in loaded);
  assert.deepEqual(loaded.things.map((x) => [x.certArn, x.remote]), [['arn:new', null], ['arn:other', { thingExists: true, certificateStatus: 'ACTIVE' }]]);
  cache.forgetAll();
});
