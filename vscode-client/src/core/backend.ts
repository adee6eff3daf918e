/**
 * Which zaws runs the server. The extension brings its own: the zaws wheel in the .vsix, installed
 * on first use into a virtual environment of the extension's own (privateBackend.ts). The chosen
 * interpreter (interpreter.ts: the zaws.pythonPath setting, the Python extension, python3) is used
 * as it is when it has a zaws at least as new as this extension's protocol; otherwise it is only
 * the base Python of that environment. Pure: the decision and the reading of pip's output, tested
 * without VS Code or Python.
 */
import { describeSource, type Interpreter, type PreflightOutcome } from './interpreter';

/** protocol/openrpc.json's info.version, which this client speaks (checked by the contract test). */
export const PROTOCOL_VERSION = '0.1.0';

export const MIN_PYTHON = '3.11';

export type BackendChoice =
  | { kind: 'interpreter' }
  | { kind: 'private'; notice?: string }
  | { kind: 'unusable'; message: string };

/** -1, 0 or 1 as `a` is older than, the same as or newer than `b` (numeric dotted parts). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.+-]/).map((p) => Number.parseInt(p, 10));
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const [p, q] = [x[i] ?? 0, y[i] ?? 0];
    if (Number.isNaN(p) || Number.isNaN(q)) break;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

export function chooseBackend(interpreter: Interpreter, outcome: PreflightOutcome, protocol = PROTOCOL_VERSION): BackendChoice {
  const where = `${interpreter.command} (from ${describeSource(interpreter.source)})`;
  if (!outcome.ok && outcome.reason === 'no-python') {
    return { kind: 'unusable', message: `Zerynth AWS needs Python ${MIN_PYTHON} or newer: ${where} was not found. Install Python ${MIN_PYTHON}+, or set zaws.pythonPath to one.` };
  }
  if (outcome.python && compareVersions(outcome.python, MIN_PYTHON) < 0) {
    return { kind: 'unusable', message: `Zerynth AWS needs Python ${MIN_PYTHON} or newer; ${where} is Python ${outcome.python}. Set zaws.pythonPath to a Python ${MIN_PYTHON}+ interpreter.` };
  }
  if (outcome.ok) {
    if (compareVersions(outcome.version, protocol) >= 0) return { kind: 'interpreter' };
    const older = `zaws ${outcome.version} in ${where} is older than this extension's protocol version ${protocol}`;
    if (interpreter.source === 'setting') {
      return { kind: 'unusable', message: `Zerynth AWS: ${older}. Upgrade it ("${interpreter.command} -m pip install --upgrade zaws"), or clear zaws.pythonPath to use the zaws the extension brings.` };
    }
    return { kind: 'private', notice: `Zerynth AWS: ${older}; the extension uses the zaws it brings instead. Upgrade that one ("${interpreter.command} -m pip install --upgrade zaws") to use it.` };
  }
  if (outcome.reason === 'no-package') return { kind: 'private' };
  return { kind: 'unusable', message: `Zerynth AWS: ${where} could not be used: ${outcome.detail}` };
}

/** A line of pip's output worth showing in the progress notification, or undefined. */
export function pipProgressLine(line: string): string | undefined {
  const shown = line.trim();
  if (!/^(Collecting|Downloading|Installing collected packages|Successfully installed)\b/.test(shown)) return undefined;
  if (shown.startsWith('Downloading')) {
    const file = shown.split(/[/\s]/).find((part) => part.endsWith('.whl') || part.endsWith('.tar.gz'));
    if (file) return `Downloading ${file}`;
  }
  return shown.slice(0, 120);
}

const OFFLINE = [
  /NewConnectionError/,
  /Temporary failure in name resolution/,
  /Name or service not known/,
  /Network is unreachable/,
  /Failed to establish a new connection/,
  /ConnectTimeoutError|Read timed out/,
  /No matching distribution found/,
  /ProxyError/,
];

/** Why installing the backend failed, in words that say what to do. */
export function installFailureMessage(output: string, pythonCommand: string): string {
  const own = 'or install zaws yourself ("python3 -m pip install zaws" in a Python 3.11+ of your choice) and set zaws.pythonPath to that interpreter';
  if (/ensurepip is not available|No module named '?ensurepip'?|No module named '?venv'?/.test(output)) {
    return `Zerynth AWS could not create its Python environment: ${pythonCommand} has no venv module. On Debian or Ubuntu install python3-venv ("sudo apt install python3-venv"), then run "Zerynth AWS: Restart Server"; ${own}.`;
  }
  if (OFFLINE.some((pattern) => pattern.test(output))) {
    return `Zerynth AWS could not install its backend: the Python package index could not be reached (or lacks a version pip needs), and zaws's dependencies (boto3, cryptography, moto, pygls...) are downloaded from it on first use. Connect to the internet (or set pip's index or proxy) and run "Zerynth AWS: Restart Server"; ${own}.`;
  }
  const last = output.trim().split(/\r?\n/).filter((line) => line.trim()).slice(-1)[0] ?? 'no output';
  return `Zerynth AWS could not install its backend with ${pythonCommand}: ${last}. See the log ("Zerynth AWS: Show Server Log"); ${own}.`;
}
