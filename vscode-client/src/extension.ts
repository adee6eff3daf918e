/**
 * Entry point: wires the output channel, the server, the things tree and the commands, then starts
 * the server. Commands are registered before the server starts, so a broken set-up still gets a
 * clear error (and the code-lens ids are taken before the language client registers any).
 */
import * as vscode from 'vscode';
import type { Deps } from './commands/deps';
import { commandTable, registerCommands } from './commandTable';
import { describeError } from './core/errors';
import { vscodeHost } from './host';
import { createLog } from './log';
import { ZawsServer } from './server';
import { onSettingsChanged } from './settings';
import { ThingsTree, VIEW_ID } from './tree/thingsTree';
import { ReportDocuments, VsCodeUi } from './ui';
import { WorkspaceProjects } from './workspaceProjects';
import { LiveDevices } from './devices/liveDevices';
import { MESSAGES_VIEW_ID, MessagesView } from './messages/messagesView';

let server: ZawsServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const projects = new WorkspaceProjects();
  const running = new ZawsServer(log, {
    thingsChanged: (projectUri) => tree.refresh(projectUri),
    fotaJobsChanged: (projectUri) => tree.refreshJobs(projectUri),
  }, { extensionPath: context.extensionPath, storagePath: context.globalStorageUri.fsPath });
  server = running;
  const tree = new ThingsTree(projects, running, log);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  tree.attach(view);
  const reports = new ReportDocuments();
  const ui = new VsCodeUi(log, reports);
  const deps: Deps = { ui, api: running, projects, views: tree, host: vscodeHost };
  const messages = new MessagesView();
  const devices = new LiveDevices(running, running, tree, messages, log);
  const restartServer = async () => {
    await running.restart();
    tree.refresh();
  };
  context.subscriptions.push(
    log,
    reports,
    running,
    tree,
    view,
    messages,
    devices,
    vscode.window.registerWebviewViewProvider(MESSAGES_VIEW_ID, messages),
    registerCommands(commandTable(deps, { showLog: () => log.show(), restartServer, devices })),
    projects.watch({
      things: (projectUri) => tree.refresh(projectUri),
      appearedOrWent: (projectUri) => void tree.projectFileAppearedOrWent(projectUri),
    }, () => tree.projectUris()),
    onSettingsChanged(({ server: serverChanged, interpreter }) => {
      if (interpreter) void restartServer().catch((error: unknown) => ui.showError(describeError(error, 'Restarting the server')));
      else if (serverChanged) void running.pushSettings().then(() => tree.refresh());
    }),
  );
  log.info(`Zerynth AWS ${(context.extension.packageJSON as { version: string }).version} activated`);
  running.ensureStarted().then(
    () => tree.refresh(),
    (error: unknown) => ui.showError(describeError(error, 'Starting the Zerynth AWS server')),
  );
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
