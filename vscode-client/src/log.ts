/**
 * The "Zerynth AWS" output channel: the client's own log lines and, passed to the language client,
 * the server's stderr. One channel so a user sends one log with a bug report.
 */
import * as vscode from 'vscode';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Zerynth AWS', { log: true });
}
