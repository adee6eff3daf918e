/**
 * The commands' `Ui` on VS Code: input boxes that validate as you type, quick picks, the folder
 * and file pickers, modal confirmations, notifications and cancellable progress. Error actions
 * ("Use Local Emulator", "Configure Profile", "Set Python Interpreter", "Show Log") are run here.
 */
import * as vscode from 'vscode';
import type { InputOptions, PickItem, Ui } from './commands/deps';
import type { FixAction, UserError } from './core/errors';
import type { ProgressStep } from './core/progress';
import { updateSetting } from './settings';

/** Read-only documents (`zaws-report:` URIs) for job details and verification reports. */
export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'zaws-report';
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(ReportDocuments.scheme, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  async show(name: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: ReportDocuments.scheme, path: `/${name}` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    // The name ends in .md: VS Code opens it as markdown, read-only (a content provider's document).
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

export class VsCodeUi implements Ui {
  constructor(private readonly log: vscode.LogOutputChannel, private readonly reports: ReportDocuments) {}

  input(options: InputOptions): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showInputBox({
      title: options.title,
      prompt: options.prompt,
      value: options.value,
      placeHolder: options.placeHolder,
      ignoreFocusOut: true,
      validateInput: options.validate,
    }));
  }

  async pick<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T | undefined> {
    const chosen = await vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeHolder, ignoreFocusOut: true, matchOnDescription: true });
    return chosen?.value;
  }

  async pickMany<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T[] | undefined> {
    const chosen = await vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeHolder, ignoreFocusOut: true, matchOnDescription: true, canPickMany: true });
    return chosen?.map((item) => item.value);
  }

  async pickFolder(options: { title: string; defaultUri?: string }): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: options.title,
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Select Folder',
      defaultUri: options.defaultUri ? vscode.Uri.parse(options.defaultUri) : undefined,
    });
    return picked?.[0]?.toString();
  }

  async pickFile(options: { title: string; defaultUri?: string; filters?: Record<string, string[]> }): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: options.title,
      canSelectFolders: false,
      canSelectFiles: true,
      canSelectMany: false,
      filters: options.filters,
      defaultUri: options.defaultUri ? vscode.Uri.parse(options.defaultUri) : undefined,
    });
    return picked?.[0]?.toString();
  }

  async confirm(message: string, detail: string, confirmLabel: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel)) === confirmLabel;
  }

  choose(message: string, detail: string, labels: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, ...labels));
  }

  warn(message: string, ...actions: string[]): Promise<string | undefined> {
    this.log.warn(message);
    return Promise.resolve(vscode.window.showWarningMessage(message, ...actions));
  }

  showReport(name: string, markdown: string): Promise<void> {
    return this.reports.show(name, markdown);
  }

  info(message: string, ...actions: string[]): Promise<string | undefined> {
    this.log.info(message);
    return Promise.resolve(vscode.window.showInformationMessage(message, ...actions));
  }

  async showError(error: UserError): Promise<void> {
    if (error.kind === 'cancelled') {
      this.log.info(error.message);
      void vscode.window.showInformationMessage(error.message);
      return;
    }
    this.log.error(error.message);
    const action = await vscode.window.showErrorMessage(error.message, ...error.actions);
    if (action) await runFix(action, this.log);
  }

  withProgress<R>(title: string, task: (report: (step: ProgressStep) => void, token: vscode.CancellationToken) => Promise<R>, options: { cancellable?: boolean } = {}): Promise<R> {
    return Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: options.cancellable ?? true },
      (progress, token) => task((step) => progress.report(step), token),
    ));
  }
}

async function runFix(action: FixAction, log: vscode.LogOutputChannel): Promise<void> {
  switch (action) {
    case 'Use Local Emulator':
      await updateSetting('local', true);
      return;
    case 'Configure Profile':
      await vscode.commands.executeCommand('zaws.selectProfile');
      return;
    case 'Set Python Interpreter':
      // The Python extension's picker when it is there (its choice is used when zaws.pythonPath is empty).
      if (vscode.extensions.getExtension('ms-python.python') && !vscode.workspace.getConfiguration('zaws').get<string>('pythonPath')) {
        await vscode.commands.executeCommand('python.setInterpreter');
      } else {
        // The setting is machine-scoped: in a remote window (code-server, SSH) it lives in the
        // Remote settings, and the User tab would say "No Settings Found".
        const settings = vscode.env.remoteName ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
        await vscode.commands.executeCommand(settings, 'zaws.pythonPath');
      }
      return;
    case 'Show Log':
      log.show();
      return;
  }
}
