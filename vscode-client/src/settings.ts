/** Reads the `zaws.*` settings and tells when the ones that matter to the server change. */
import * as vscode from 'vscode';
import { SECTION, toServerSettings } from './core/settings';
import type { ServerSettings } from './core/protocol';
import type { SettingKey } from './commands/deps';

export function serverSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return toServerSettings((key) => config.get(key));
}

export function pythonPathSetting(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('pythonPath', '');
}

export function onSettingsChanged(handler: (what: { server: boolean; interpreter: boolean }) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    const interpreter = event.affectsConfiguration(`${SECTION}.pythonPath`);
    const server = ['profile', 'region', 'endpointUrl', 'local', 'remoteChecks'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
    if (interpreter || server) handler({ server, interpreter });
  });
}

/** Writes where the value is in force: the workspace when it sets one, else the user settings. */
export async function updateSetting(key: SettingKey, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect(key);
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}
