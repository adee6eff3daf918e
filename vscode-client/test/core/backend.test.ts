import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseBackend, compareVersions, installFailureMessage, pipProgressLine, PROTOCOL_VERSION } from '../../src/core/backend';
import type { Interpreter } from '../../src/core/interpreter';

const fromPath: Interpreter = { command: 'python3', source: 'path' };
const fromSetting: Interpreter = { command: '/opt/zaws/bin/python', source: 'setting' };

test("the protocol version is the contract's info.version", () => {
  // Tests run from out/test/core: the repository's protocol folder is three levels above vscode-client.
  const contract = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'protocol', 'openrpc.json'), 'utf8')) as { info: { version: string } };
  assert.equal(PROTOCOL_VERSION, contract.info.version);
});

test('versions compare by number, part by part', () => {
  assert.equal(compareVersions('0.1.0', '0.1.0'), 0);
  assert.equal(compareVersions('0.1', '0.1.0'), 0);
  assert.equal(compareVersions('0.0.9', '0.1.0'), -1);
  assert.equal(compareVersions('0.10.0', '0.9.3'), 1);
  assert.equal(compareVersions('3.9', '3.11'), -1);
  assert.equal(compareVersions('1.0.0.dev1', '0.9'), 1);
});

test('a recent enough zaws in the chosen interpreter is used as it is', () => {
  assert.deepEqual(chooseBackend(fromPath, { ok: true, version: '0.1.0', python: '3.12' }, '0.1.0'), { kind: 'interpreter' });
  assert.deepEqual(chooseBackend(fromSetting, { ok: true, version: '0.2.0', python: '3.11' }, '0.1.0'), { kind: 'interpreter' });
});

test('no zaws: the extension installs its own from that Python', () => {
  const outcome = { ok: false as const, reason: 'no-package' as const, detail: "No module named 'zaws'", python: '3.11' };
  assert.deepEqual(chooseBackend(fromPath, outcome), { kind: 'private' });
  assert.deepEqual(chooseBackend(fromSetting, outcome), { kind: 'private' });
});

test('an older zaws gets a clear message: an error for the setting, a notice before the own one otherwise', () => {
  const old = { ok: true as const, version: '0.0.9', python: '3.11' };
  const set = chooseBackend(fromSetting, old, '0.1.0');
  assert.equal(set.kind, 'unusable');
  assert.match(set.kind === 'unusable' ? set.message : '', /zaws 0\.0\.9 in \/opt\/zaws\/bin\/python \(from the zaws\.pythonPath setting\) is older than this extension's protocol version 0\.1\.0.*pip install --upgrade zaws.*clear zaws\.pythonPath/);
  const found = chooseBackend(fromPath, old, '0.1.0');
  assert.equal(found.kind, 'private');
  assert.match(found.kind === 'private' ? (found.notice ?? '') : '', /zaws 0\.0\.9 in python3 .* is older than .* 0\.1\.0; the extension uses the zaws it brings/);
});

test('no Python, or one older than 3.11, is unusable with a message that says so', () => {
  const none = chooseBackend(fromPath, { ok: false, reason: 'no-python', detail: 'ENOENT' });
  assert.match(none.kind === 'unusable' ? none.message : '', /needs Python 3\.11 or newer: python3 .* was not found/);
  const old = chooseBackend(fromPath, { ok: false, reason: 'no-package', detail: '', python: '3.9' });
  assert.match(old.kind === 'unusable' ? old.message : '', /needs Python 3\.11 or newer; python3 .* is Python 3\.9/);
  const broken = chooseBackend(fromPath, { ok: false, reason: 'other', detail: 'SyntaxError: bad', python: '3.11' });
  assert.match(broken.kind === 'unusable' ? broken.message : '', /could not be used: SyntaxError: bad/);
});

test("pip's progress lines are shown short, the rest not at all", () => {
  assert.equal(pipProgressLine('Collecting boto3==1.44.8 (from zaws==0.1.0)'), 'Collecting boto3==1.44.8 (from zaws==0.1.0)');
  assert.equal(pipProgressLine('  Downloading https://files.example/packages/cryptography-50.0.2-cp311-abi3-manylinux_2_28_x86_64.whl (4.5 MB)'), 'Downloading cryptography-50.0.2-cp311-abi3-manylinux_2_28_x86_64.whl');
  assert.equal(pipProgressLine('Installing collected packages: six, zaws'), 'Installing collected packages: six, zaws');
  assert.equal(pipProgressLine('Requirement already satisfied: six'), undefined);
});

test('an install without network says so and what to do', () => {
  const offline = "WARNING: Retrying (Retry(total=1...)) after connection broken by 'NewConnectionError(...: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')'\nERROR: Could not find a version that satisfies the requirement boto3==1.44.8 (from zaws) (from versions: none)\nERROR: No matching distribution found for boto3==1.44.8";
  const message = installFailureMessage(offline, 'python3');
  assert.match(message, /package index could not be reached/);
  assert.match(message, /Restart Server/);
  assert.match(message, /zaws\.pythonPath/);
  assert.match(installFailureMessage('Error: Command ... returned non-zero exit status 1.\nThe virtual environment was not created successfully because ensurepip is not available.', 'python3'), /python3-venv/);
  assert.match(installFailureMessage('ERROR: zaws-0.1.0-py3-none-any.whl is not a supported wheel on this platform.', 'python3'), /not a supported wheel on this platform/);
});
