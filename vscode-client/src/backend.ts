/**
 * The Python that runs `-m zaws serve`: the chosen interpreter (python.ts) when its zaws is recent
 * enough, else the extension's own environment (privateBackend.ts) made from that interpreter. The
 * decision is core/backend.ts's; this runs the preflight and tells the user what happened.
 */
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { chooseBackend } from './core/backend';
import { ServerUnavailable } from './core/errors';
import { classifyPreflight, PREFLIGHT_ARGS, preflightMessage, type Interpreter, type PreflightOutcome } from './core/interpreter';
import { privateBackendPython, type BackendPlace } from './privateBackend';

const PREFLIGHT_TIMEOUT_MS = 20_000;

export async function backendPython(interpreter: Interpreter, place: BackendPlace, log: vscode.LogOutputChannel): Promise<string> {
  const outcome = await preflight(interpreter.command);
  const choice = chooseBackend(interpreter, outcome);
  if (choice.kind === 'unusable') {
    log.error(choice.message);
    throw new ServerUnavailable(choice.message);
  }
  if (choice.kind === 'interpreter') {
    log.info(`${interpreter.command}: ${preflightMessage(interpreter, outcome)}`);
    return interpreter.command;
  }
  if (choice.notice) {
    log.warn(choice.notice);
    void vscode.window.showWarningMessage(choice.notice);
  }
  log.info(`${interpreter.command} has no usable zaws: using the extension's own environment`);
  const python = await privateBackendPython(place, interpreter.command, outcome.python ?? 'unknown', log);
  const installed = await preflight(python);
  if (!installed.ok) {
    const message = `Zerynth AWS: its own environment (${python}) cannot load zaws: ${installed.detail}. Delete that folder and restart the server.`;
    log.error(message);
    throw new ServerUnavailable(message);
  }
  log.info(`${python}: zaws ${installed.version} (the extension's own environment)`);
  return python;
}

function preflight(command: string): Promise<PreflightOutcome> {
  return new Promise((resolve) => {
    execFile(command, [...PREFLIGHT_ARGS], { timeout: PREFLIGHT_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve(
        classifyPreflight({
          errorCode: typeof code === 'string' ? code : undefined,
          exitCode: error ? (typeof code === 'number' ? code : null) : 0,
          stdout,
          stderr,
        }),
      );
    });
  });
}
