/** The commands' `Host`: settings, the AWS profile files, the clipboard, revealing a folder. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Host } from './commands/deps';
import { mergeProfiles, profilesFromConfig, profilesFromCredentials } from './core/awsProfiles';
import { updateSetting } from './settings';

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

export const vscodeHost: Host = {
  updateSetting,
  async awsProfiles() {
    const config = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
    const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');
    return mergeProfiles(profilesFromConfig(await readOrEmpty(config)), profilesFromCredentials(await readOrEmpty(credentials)));
  },
  async copy(text) {
    await vscode.env.clipboard.writeText(text);
  },
  async revealFolder(path) {
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path));
  },
};
