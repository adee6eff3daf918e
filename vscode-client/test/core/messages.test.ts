import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime, matchesFilter, MAX_BODY_CHARS, prettyPayload, toRow, topicMatches, type MessageEntry } from '../../src/core/messages';
import { MessageLog } from '../../src/core/messageLog';

let seq = 0;
function message(topic: string, payload: unknown, source = 'sensor_0 (simulated)'): MessageEntry {
  seq += 1;
  return { seq, topic, at: new Date(2026, 11, 2, 9, 5, 7, 42).getTime(), payload, source };
}

test('a message row: its topic, local time with milliseconds, source and pretty JSON', () => {
  const row = toRow(message('sensor_0/samples', { temperature: 21, uptime_ms: 5 }));
  assert.equal(row.topic, 'sensor_0/samples');
  assert.equal(row.time, '09:05:07.042');
  assert.equal(row.source, 'sensor_0 (simulated)');
  assert.equal(row.body, '{\n  "temperature": 21,\n  "uptime_ms": 5\n}');
  assert.equal(row.json, true);
  assert.equal(formatTime(new Date(2026, 0, 1, 23, 59, 59, 999).getTime()), '23:59:59.999');
});

test('payload text is pretty-printed when it is a JSON object or array, else shown as sent', () => {
  assert.deepEqual(prettyPayload('{"a":[1,2]}'), { text: '{\n  "a": [\n    1,\n    2\n  ]\n}', json: true });
  assert.deepEqual(prettyPayload(' [1] '), { text: '[\n  1\n]', json: true });
  assert.deepEqual(prettyPayload('{not json'), { text: '{not json', json: false });
  assert.deepEqual(prettyPayload('42'), { text: '42', json: false }, 'a bare number stays text');
  assert.deepEqual(prettyPayload('on'), { text: 'on', json: false });
  assert.deepEqual(prettyPayload(''), { text: '', json: false });
  assert.deepEqual(prettyPayload(7), { text: '7', json: true });
});

test('a huge payload is cut, saying how much is left out', () => {
  const row = toRow(message('t', 'x'.repeat(MAX_BODY_CHARS + 10)));
  assert.ok(row.body.startsWith('x'.repeat(MAX_BODY_CHARS)));
  assert.ok(row.body.endsWith('… 10 more characters'));
});

test('MQTT topic filters: + is one level, # the rest (also the parent level)', () => {
  assert.ok(topicMatches('sensor_0/samples', 'sensor_0/samples'));
  assert.ok(topicMatches('+/samples', 'sensor_1/samples'));
  assert.ok(!topicMatches('+/samples', 'a/b/samples'));
  assert.ok(topicMatches('sensor_0/#', 'sensor_0/samples'));
  assert.ok(topicMatches('sensor_0/#', 'sensor_0'));
  assert.ok(topicMatches('#', '$aws/things/x/shadow/update'));
  assert.ok(!topicMatches('sensor_0/+', 'sensor_0/a/b'));
  assert.ok(!topicMatches('sensor_0', 'sensor_0/samples'));
  assert.ok(!topicMatches('a/#/b', 'a/x/b'), '# only last');
});

test('the filter: a topic filter when it has + or #, else every word somewhere in topic, source or payload', () => {
  const sample = message('sensor_0/samples', { temperature: 27 });
  const command = message('sensor_1/commands', 'reboot now', 'you');
  assert.ok(matchesFilter(sample, ''));
  assert.ok(matchesFilter(sample, '+/samples'));
  assert.ok(!matchesFilter(command, '+/samples'));
  assert.ok(matchesFilter(sample, 'temperature 27'));
  assert.ok(!matchesFilter(sample, 'temperature 28'));
  assert.ok(matchesFilter(command, 'REBOOT'), 'case-insensitive');
  assert.ok(matchesFilter(command, 'you'), 'the source counts');
  assert.ok(matchesFilter(sample, 'sensor_0/'), 'a topic prefix is words');
  assert.ok(!matchesFilter({ ...sample, note: true, topic: '' }, '#'), 'a device note has no topic');
});

test('the log: new messages are appended in batches; the first update and a re-created view get everything', () => {
  const log = new MessageLog(100);
  const a = message('a', 1);
  const b = message('b', 2);
  log.add(a);
  assert.deepEqual(log.nextUpdate(10), { kind: 'reset', entries: [a] });
  assert.equal(log.nextUpdate(10), undefined, 'up to date');
  log.add(b);
  const c = message('c', 3);
  log.add(c);
  assert.deepEqual(log.nextUpdate(10), { kind: 'append', entries: [b, c] }, 'a burst is one update');
  log.resetView();
  assert.deepEqual(log.nextUpdate(2), { kind: 'reset', entries: [b, c] }, 'the newest `limit`, oldest first');
  for (let i = 0; i < 5; i++) log.add(message('d', i));
  const update = log.nextUpdate(3);
  assert.equal(update?.kind, 'append');
  assert.deepEqual(update.entries.map((e) => e.payload), [2, 3, 4], 'an append is bounded too');
});

test('the log is bounded: the oldest go first and are counted', () => {
  const log = new MessageLog(3);
  for (let i = 0; i < 5; i++) log.add(message(i % 2 ? 'odd' : 'even', i));
  assert.deepEqual(log.status(), { kept: 3, matching: 3, dropped: 2, paused: false, heldWhilePaused: 0, filter: '' });
  assert.deepEqual(log.nextUpdate(10)?.entries.map((e) => e.payload), [2, 3, 4]);
  log.setFilter('even');
  assert.equal(log.status().matching, 2);
  log.add(message('even', 5));
  assert.equal(log.status().matching, 2, 'even 2 dropped, odd 5 does not match');
});

test('filtering shows only the matching messages again, then appends only matching ones', () => {
  const log = new MessageLog();
  log.add(message('sensor_0/samples', { t: 1 }));
  log.add(message('sensor_1/commands', 'x'));
  log.nextUpdate(10);
  log.setFilter('+/samples');
  const reset = log.nextUpdate(10);
  assert.equal(reset?.kind, 'reset');
  assert.deepEqual(reset.entries.map((e) => e.topic), ['sensor_0/samples']);
  log.add(message('sensor_1/commands', 'y'));
  assert.equal(log.nextUpdate(10), undefined, 'a message that does not match is kept, not shown');
  log.add(message('sensor_2/samples', { t: 2 }));
  assert.deepEqual(log.nextUpdate(10)?.entries.map((e) => e.topic), ['sensor_2/samples']);
  assert.deepEqual([log.status().kept, log.status().matching], [4, 2]);
  log.setFilter('');
  assert.equal(log.nextUpdate(10)?.entries.length, 4, 'cleared filter: all shown again');
});

test('pause holds new messages (kept and counted) until resume, even when the view is re-created', () => {
  const log = new MessageLog();
  const before = message('a', 'before');
  log.add(before);
  log.pause();
  log.add(message('a', 'while paused 1'));
  log.add(message('a', 'while paused 2'));
  assert.equal(log.nextUpdate(10)?.kind, 'reset', 'the first update still comes');
  log.add(message('a', 'while paused 3'));
  assert.equal(log.nextUpdate(10), undefined);
  assert.deepEqual([log.status().paused, log.status().heldWhilePaused, log.status().kept], [true, 3, 4]);
  log.resetView();
  assert.deepEqual(log.nextUpdate(10), { kind: 'reset', entries: [before] }, 'a paused view shows what it showed');
  log.resume();
  assert.deepEqual(log.nextUpdate(10)?.entries.map((e) => e.payload), ['before', 'while paused 1', 'while paused 2', 'while paused 3']);
  assert.equal(log.status().heldWhilePaused, 0);
});

test('a message that arrived just before the pause is still shown', () => {
  const log = new MessageLog();
  log.nextUpdate(10);
  const last = message('a', 'last');
  log.add(last);
  log.pause();
  assert.deepEqual(log.nextUpdate(10), { kind: 'append', entries: [last] });
});

test('clear empties the log and the view, and the counts', () => {
  const log = new MessageLog(2);
  for (let i = 0; i < 3; i++) log.add(message('a', i));
  log.nextUpdate(10);
  log.clear();
  assert.deepEqual(log.nextUpdate(10), { kind: 'reset', entries: [] });
  assert.deepEqual(log.status(), { kept: 0, matching: 0, dropped: 0, paused: false, heldWhilePaused: 0, filter: '' });
  log.add(message('a', 'next'));
  assert.deepEqual(log.nextUpdate(10)?.entries.map((e) => e.payload), ['next']);
});
