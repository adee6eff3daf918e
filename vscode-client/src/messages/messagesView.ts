/**
 * The Messages view (a webview view in the panel): MQTT messages from the user's subscriptions and
 * from simulated devices, live. The messages live here, in a MessageLog of the extension host, so
 * they are kept while the view is hidden or closed; a page that (re)loads says `ready` and is sent
 * what it shows again. New messages reach the page at most every FLUSH_MS, in one post, and only
 * while it is visible: 100 messages a second are ten posts of ten rows.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { MessageLog } from '../core/messageLog';
import { toRow, type MessageEntry } from '../core/messages';
import { messagesPage, type PageToHost } from './messagesPage';

export const MESSAGES_VIEW_ID = 'zaws.messages';
const FLUSH_MS = 100;
/** Rows in the page at most (the log keeps more, for the filter). */
const PAGE_ROWS = 300;

export class MessagesView implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly log = new MessageLog();
  private view: vscode.WebviewView | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private readonly disposables: vscode.Disposable[] = [];

  /** Adds a message (its `seq` is given here); shown soon if the view is visible. */
  add(entry: Omit<MessageEntry, 'seq'>): void {
    this.seq += 1;
    this.log.add({ ...entry, seq: this.seq });
    this.schedule();
  }

  /** Opens the panel on the Messages view. */
  async show(): Promise<void> {
    await vscode.commands.executeCommand(`${MESSAGES_VIEW_ID}.focus`);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [] };
    view.webview.html = messagesPage({ cspSource: view.webview.cspSource, nonce: randomBytes(16).toString('base64'), maxRows: PAGE_ROWS });
    this.disposables.push(
      view.webview.onDidReceiveMessage((message: PageToHost) => this.onPageMessage(message)),
      view.onDidChangeVisibility(() => this.schedule()),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private onPageMessage(message: PageToHost): void {
    switch (message.type) {
      case 'ready':
        this.log.resetView();
        break;
      case 'filter':
        this.log.setFilter(message.text);
        break;
      case 'pause':
        this.log.pause();
        break;
      case 'resume':
        this.log.resume();
        break;
      case 'clear':
        this.log.clear();
        break;
    }
    this.flush();
  }

  private schedule(): void {
    if (this.timer || !this.view?.visible) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, FLUSH_MS);
  }

  /** Posts what the page needs: new rows or all again, with the status line (counts change even when no row does). */
  private flush(): void {
    const view = this.view;
    if (!view?.visible) return;
    const update = this.log.nextUpdate(PAGE_ROWS);
    const status = this.log.status();
    if (update) void view.webview.postMessage({ type: update.kind, rows: update.entries.map(toRow), status });
    else void view.webview.postMessage({ type: 'status', status });
  }
}
