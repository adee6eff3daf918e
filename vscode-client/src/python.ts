/**
 * Finds the Python interpreter that runs the server (order in core/interpreter.ts). The only part
 * that talks to the Python extension, whose API differs between versions: the `environments` API
 * first, then the older `settings.getExecutionDetails`.
 */
import * as vscode from 'vscode';
import { chooseInterpreter, type Interpreter } from './core/interpreter';
import { pythonPathSetting } from './settings';

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(env: { path: string }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: { getExecutionDetails(resource?: vscode.Uri): { execCommand?: string[] } };
}

async function fromPythonExtension(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return undefined;
  const api = extension.isActive ? extension.exports : await extension.activate();
  const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (api.environments) {
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  }
  return api.settings?.getExecutionDetails(resource).execCommand?.[0];
}

export function findInterpreter(): Promise<Interpreter> {
  return chooseInterpreter(pythonPathSetting(), fromPythonExtension);
}
