/**
 * package.json's simulated-device contributions: a thing's row offers Simulate Device until it
 * runs, then Stop Simulated Device, and keeps its other commands while it runs (the `.running`
 * suffix of its context value); a project offers Simulate All Things; the Messages view is a
 * webview view of a panel container, with the settings Simulate Device reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  contributes: {
    viewsContainers: Record<string, { id: string }[]>;
    views: Record<string, { id: string; type?: string }[]>;
    menus: { 'view/item/context': { command: string; when: string; group?: string }[] };
    configuration: { properties: Record<string, { default?: unknown; enum?: string[] }> };
  };
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

function shownOn(when: string, viewItem: string): boolean {
  return when.split('&&').map((c) => c.trim()).every((clause) => {
    if (clause === 'view == zaws.things') return true;
    const equal = /^viewItem == (\S+)$/.exec(clause);
    if (equal) return viewItem === equal[1];
    const match = /^viewItem =~ \/(.+)\/$/.exec(clause);
    if (match) return new RegExp(match[1]!).test(viewItem);
    throw new Error(`clause not understood: ${clause}`);
  });
}
const commandsOn = (viewItem: string, group?: string) => new Set(manifest.contributes.menus['view/item/context']
  .filter((i) => shownOn(i.when, viewItem) && (!group || i.group?.startsWith(group)))
  .map((i) => i.command));

test('a thing row offers Simulate Device until it runs, then Stop, inline and in its menu', () => {
  for (const base of ['zaws.thing', 'zaws.thing.active', 'zaws.thing.revoked', 'zaws.thing.inactive']) {
    const idle = commandsOn(base);
    const running = commandsOn(`${base}.running`);
    assert.ok(idle.has('zaws.thing.simulate') && !idle.has('zaws.thing.stopSimulation'), `${base}: Simulate`);
    assert.ok(!running.has('zaws.thing.simulate') && running.has('zaws.thing.stopSimulation'), `${base}.running: Stop`);
    assert.ok(commandsOn(`${base}.running`, 'inline').has('zaws.thing.stopSimulation'), `${base}.running: Stop inline`);
    assert.ok(idle.has('zaws.checkDevice') && running.has('zaws.checkDevice'), `${base}: Check Device Connection`);
    // What a row offers besides stays the same while it runs.
    const others = (set: Set<string>) => [...set].filter((c) => !['zaws.thing.simulate', 'zaws.thing.stopSimulation'].includes(c)).sort();
    assert.deepEqual(others(running), others(idle), `${base}: the other commands`);
  }
  assert.ok(commandsOn('zaws.project').has('zaws.simulateAll'));
  assert.ok(!commandsOn('zaws.project').has('zaws.thing.simulate'));
});

test('the Messages view is a webview view in a panel container; the device settings exist', () => {
  const panel = manifest.contributes.viewsContainers.panel?.[0];
  assert.ok(panel);
  assert.deepEqual(manifest.contributes.views[panel.id]?.map((v) => [v.id, v.type]), [['zaws.messages', 'webview']]);
  const props = manifest.contributes.configuration.properties;
  assert.equal(props['zaws.devices.sampleInterval']?.default, 5);
  assert.deepEqual(props['zaws.devices.fotaResult']?.enum, ['succeed', 'fail-md5', 'reject']);
});
