import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseInterpreter, classifyPreflight, preflightMessage } from '../../src/core/interpreter';

test('the setting wins over the Python extension and the PATH', async () => {
  let asked = false;
  const chosen = await chooseInterpreter(' /opt/py/bin/python ', () => {
    asked = true;
    return Promise.resolve('/ext/python');
  });
  assert.deepEqual(chosen, { command: '/opt/py/bin/python', source: 'setting' });
  assert.equal(asked, false, 'the Python extension is not asked when the setting is set');
});

test("then the Python extension's interpreter, then python3", async () => {
  assert.deepEqual(await chooseInterpreter('', () => Promise.resolve('/ext/python')), { command: '/ext/python', source: 'python-extension' });
  assert.deepEqual(await chooseInterpreter(undefined, () => Promise.resolve(undefined)), { command: 'python3', source: 'path' });
  assert.deepEqual(await chooseInterpreter('', () => Promise.reject(new Error('extension broke'))), { command: 'python3', source: 'path' });
});

test('preflight tells a missing Python from a missing package', () => {
  const python = { command: '/nope/python', source: 'setting' as const };
  const noPython = classifyPreflight({ errorCode: 'ENOENT', exitCode: null, stdout: '', stderr: '' });
  assert.deepEqual(noPython, { ok: false, reason: 'no-python', detail: 'ENOENT' });
  assert.match(preflightMessage(python, noPython), /was not found.*zaws\.pythonPath/);

  const noPackage = classifyPreflight({ exitCode: 1, stdout: '', stderr: "Traceback...\nModuleNotFoundError: No module named 'zaws'\n" });
  assert.equal(noPackage.ok, false);
  assert.equal(!noPackage.ok && noPackage.reason, 'no-package');
  assert.match(preflightMessage(python, noPackage), /not installed.*\/nope\/python -m pip install zaws/);

  const ok = classifyPreflight({ exitCode: 0, stdout: '3.11\n0.1.0\n', stderr: '' });
  assert.deepEqual(ok, { ok: true, version: '0.1.0', python: '3.11' });
  const noPackageOnPython = classifyPreflight({ exitCode: 1, stdout: '3.12\n', stderr: "ModuleNotFoundError: No module named 'zaws'\n" });
  assert.equal(noPackageOnPython.python, '3.12', 'the Python version is known even without zaws');

  const other = classifyPreflight({ exitCode: 1, stdout: '', stderr: 'SyntaxError: bad\n' });
  assert.match(preflightMessage(python, other), /could not load zaws: SyntaxError: bad/);
});
