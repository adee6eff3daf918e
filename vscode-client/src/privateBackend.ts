/**
 * The extension's own zaws: the wheel the .vsix carries (backend/zaws-*.whl), installed on first use
 * into a virtual environment under the extension's global storage, one per wheel and Python version.
 * Steps: create the environment in a fresh folder, pip-install the wheel (its dependencies come from
 * the package index) with progress, mark it complete, then rename it into place, so a half-made
 * environment (an interrupted install, two windows at once) is never used. A failure says why
 * (offline, no venv module) and what to do.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { installFailureMessage, pipProgressLine } from './core/backend';
import { ServerUnavailable } from './core/errors';

const COMPLETE_MARK = '.zaws-complete';
const OUTPUT_KEPT = 200_000;

export interface BackendPlace {
  /** The installed extension's folder, which holds backend/*.whl. */
  extensionPath: string;
  /** The extension's global storage folder. */
  storagePath: string;
}

export function bundledWheel(extensionPath: string): string | undefined {
  const folder = join(extensionPath, 'backend');
  if (!existsSync(folder)) return undefined;
  const wheel = readdirSync(folder).find((name) => /^zaws-.*\.whl$/.test(name));
  return wheel ? join(folder, wheel) : undefined;
}

function venvPython(folder: string): string {
  return process.platform === 'win32' ? join(folder, 'Scripts', 'python.exe') : join(folder, 'bin', 'python');
}

/** The private environment's Python, installing it first when it is not there yet. */
export async function privateBackendPython(place: BackendPlace, basePython: string, pythonVersion: string, log: vscode.LogOutputChannel): Promise<string> {
  const wheel = bundledWheel(place.extensionPath);
  if (!wheel) {
    throw new ServerUnavailable('Zerynth AWS: this build of the extension carries no zaws wheel (backend/ is empty). Install zaws yourself ("python3 -m pip install zaws") and set zaws.pythonPath to that interpreter.');
  }
  const folder = join(place.storagePath, 'backend', `${basename(wheel, '.whl')}-py${pythonVersion}`);
  if (existsSync(join(folder, COMPLETE_MARK)) && existsSync(venvPython(folder))) return venvPython(folder);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Zerynth AWS: installing its Python backend (first use)', cancellable: false },
    (progress) => install(wheel, folder, basePython, log, (message) => progress.report({ message })),
  );
  return venvPython(folder);
}

async function install(wheel: string, folder: string, basePython: string, log: vscode.LogOutputChannel, report: (message: string) => void): Promise<void> {
  const partial = `${folder}.partial-${process.pid}-${Date.now()}`;
  await mkdir(join(folder, '..'), { recursive: true });
  log.info(`installing ${basename(wheel)} into ${folder} with ${basePython}`);
  try {
    report('creating a Python environment');
    await run(basePython, ['-m', 'venv', partial], log);
    report(`installing ${basename(wheel)} and its dependencies`);
    const pip = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', '--retries', '2', '--timeout', '20', wheel];
    await run(venvPython(partial), pip, log, (line) => {
      const shown = pipProgressLine(line);
      if (shown) report(shown);
    });
    await writeFile(join(partial, COMPLETE_MARK), JSON.stringify({ wheel: basename(wheel), basePython }));
    await rename(partial, folder).catch(async (error: unknown) => {
      // Another window finished first: use its environment.
      if (!existsSync(join(folder, COMPLETE_MARK))) throw error;
      await rm(partial, { recursive: true, force: true });
    });
    log.info(`backend installed in ${folder}`);
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof ServerUnavailable) throw error;
    throw new ServerUnavailable(`Zerynth AWS could not install its backend in ${folder}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Runs a command, logging its output line by line; a failure becomes the message for the user. */
function run(command: string, args: string[], log: vscode.LogOutputChannel, onLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-OUTPUT_KEPT);
      const lines = (pending + text).split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        log.info(`  ${line}`);
        onLine?.(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => reject(new ServerUnavailable(installFailureMessage(`${error.message}\n${output}`, command))));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new ServerUnavailable(installFailureMessage(output || `exit code ${code}`, command)));
    });
  });
}
