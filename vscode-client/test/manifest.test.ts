/**
 * package.json against the code: every registered command is contributed (and the reverse), the
 * palette shows the commands under "Zerynth AWS", versions are pinned and fit VS Code 1.100,
 * and the thing.conf.json schema accepts what zaws writes and flags what it would not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { LENS_COMMANDS } from '../src/core/protocol';

const root = join(__dirname, '..', '..');
interface Manifest {
  engines: { vscode: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: { commandPalette: { command: string; when: string }[]; 'view/item/context': { command: string; when: string; group?: string }[] };
    jsonValidation: { fileMatch: string; url: string }[];
  };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const table = ['commandTable.ts', 'deviceCommandTable.ts'].map((file) => readFileSync(join(root, 'src', file), 'utf8')).join('\n');

test('registered and contributed commands are the same set', () => {
  const registered = new Set([...table.matchAll(/'(zaws\.[a-zA-Z.]+)'/g)].map((m) => m[1]!));
  for (const id of Object.values(LENS_COMMANDS)) registered.add(id);
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  assert.deepEqual([...registered].sort(), [...contributed].sort());
});

test('the palette shows the issue\'s commands, category "Zerynth AWS"', () => {
  const hidden = new Set(manifest.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
  const palette = manifest.contributes.commands.filter((c) => !hidden.has(c.command));
  assert.ok(palette.every((c) => c.category === 'Zerynth AWS'));
  const titles = palette.map((c) => c.title);
  for (const wanted of ['Create Project from Template', 'Add Things', 'Set Active Thing', 'Clean Up Project', 'Start FOTA Update', 'Create Device Policy', 'Refresh', 'Select AWS Profile and Region', 'Use Local Emulator']) {
    assert.ok(titles.includes(wanted), wanted);
  }
  for (const id of Object.values(LENS_COMMANDS)) assert.ok(hidden.has(id), `${id} is not in the palette`);
});

test('versions are pinned and fit VS Code 1.100', () => {
  assert.equal(manifest.engines.vscode, '^1.100.0');
  assert.match(manifest.devDependencies['@types/vscode'] ?? '', /^1\.100\./);
  for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned`);
  }
});

test('the thing.conf.json schema accepts what zaws writes and flags a bad value', () => {
  const [validation] = manifest.contributes.jsonValidation;
  assert.equal(validation?.fileMatch, 'thing.conf.json');
  const schema = JSON.parse(readFileSync(join(root, validation.url), 'utf8')) as object;
  const validate = new Ajv({ strict: false }).compile(schema);
  const template = join(root, '..', 'server', 'zaws', 'template', 'thing.conf.json');
  if (existsSync(template)) assert.ok(validate(JSON.parse(readFileSync(template, 'utf8'))), 'the template validates');
  const active = {
    endpoint: 'a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com',
    policy_name: 'ZerynthThing',
    thingname: 'sensor_1',
    mqttid: 'sensor_1',
    cert_arn: `arn:aws:iot:eu-west-1:123456789012:cert/${'ab'.repeat(32)}`,
  };
  assert.ok(validate(active), JSON.stringify(validate.errors));
  assert.equal(validate({ ...active, thingname: 'bad name' }), false);
  assert.equal(validate({ ...active, endpoint: 'https://x' }), false);
});

/** Evaluates a menu's `when` for a tree row of the Things view (only the clauses this manifest uses). */
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

test('a thing row offers Set Active, Revoke and Activate only when they can work, Rotate and Remove always', () => {
  const items = manifest.contributes.menus['view/item/context'];
  const commandsOn = (viewItem: string) => new Set(items.filter((i) => shownOn(i.when, viewItem)).map((i) => i.command));
  for (const row of ['zaws.thing', 'zaws.thing.active', 'zaws.thing.revoked', 'zaws.thing.inactive']) {
    const on = commandsOn(row);
    assert.equal(on.has('zaws.thing.setActive'), row === 'zaws.thing', `Set Active on ${row}`);
    assert.equal(on.has('zaws.thing.revokeCertificate'), row !== 'zaws.thing.revoked', `Revoke Certificate on ${row}`);
    assert.equal(on.has('zaws.thing.activateCertificate'), row === 'zaws.thing.inactive', `Activate Certificate on ${row}`);
    assert.ok(on.has('zaws.thing.remove'), `Remove Thing on ${row}`);
    assert.ok(on.has('zaws.thing.rotateCertificate'), `Rotate Certificate on ${row}`);
  }
  assert.ok(!commandsOn('zaws.project').has('zaws.thing.remove'));
  assert.ok(!commandsOn('zaws.project').has('zaws.thing.rotateCertificate'));
});
