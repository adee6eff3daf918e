/**
 * Which Python starts the server: the `zaws.pythonPath` setting, else the interpreter selected in
 * the Python extension, else `python3` on the PATH. The order lives here, apart from the VS Code
 * glue that asks the Python extension, so it can be tested.
 */

export type InterpreterSource = 'setting' | 'python-extension' | 'path';

export interface Interpreter {
  command: string;
  source: InterpreterSource;
}

export async function chooseInterpreter(
  setting: string | undefined,
  fromPythonExtension: () => Promise<string | undefined>,
): Promise<Interpreter> {
  const configured = setting?.trim();
  if (configured) return { command: configured, source: 'setting' };
  let selected: string | undefined;
  try {
    selected = (await fromPythonExtension())?.trim();
  } catch {
    selected = undefined;
  }
  if (selected) return { command: selected, source: 'python-extension' };
  return { command: 'python3', source: 'path' };
}

export function describeSource(source: InterpreterSource): string {
  switch (source) {
    case 'setting':
      return 'the zaws.pythonPath setting';
    case 'python-extension':
      return "the Python extension's selected interpreter";
    case 'path':
      return 'python3 on the PATH';
  }
}

/** Arguments that start the language server over stdio. */
export const SERVER_ARGS = ['-m', 'zaws', 'serve'] as const;

/**
 * A quick check, run before starting the server: the Python version (line 1, printed before zaws is
 * imported, so it is known when zaws is missing) and zaws's version (line 2).
 */
export const PREFLIGHT_ARGS = ['-c', 'import sys; print("%d.%d" % sys.version_info[:2], flush=True); import zaws; print(zaws.__version__)'] as const;

export type PreflightOutcome =
  | { ok: true; version: string; python?: string }
  | { ok: false; reason: 'no-python' | 'no-package' | 'other'; detail: string; python?: string };

export function classifyPreflight(result: { errorCode?: string; exitCode: number | null; stdout: string; stderr: string }): PreflightOutcome {
  if (result.errorCode === 'ENOENT' || result.errorCode === 'EACCES') {
    return { ok: false, reason: 'no-python', detail: result.errorCode };
  }
  const [python, version] = result.stdout.trim().split(/\r?\n/).map((line) => line.trim());
  const known = python ? { python } : {};
  if (result.exitCode === 0 && version) return { ok: true, version, ...known };
  if (/No module named '?zaws'?/.test(result.stderr)) {
    return { ok: false, reason: 'no-package', detail: lastLine(result.stderr), ...known };
  }
  return { ok: false, reason: 'other', detail: lastLine(result.stderr) || `exit code ${result.exitCode}`, ...known };
}

export function preflightMessage(interpreter: Interpreter, outcome: PreflightOutcome): string {
  if (outcome.ok) return `zaws ${outcome.version}`;
  const where = `${interpreter.command} (from ${describeSource(interpreter.source)})`;
  switch (outcome.reason) {
    case 'no-python':
      return `Zerynth AWS: cannot run Python: ${where} was not found. Set zaws.pythonPath to a Python 3.11+ interpreter.`;
    case 'no-package':
      return `Zerynth AWS: the zaws package is not installed for ${where}. Install it with "${interpreter.command} -m pip install zaws", or set zaws.pythonPath to an interpreter that has it.`;
    case 'other':
      return `Zerynth AWS: ${where} could not load zaws: ${outcome.detail}`;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1] ?? '';
}
