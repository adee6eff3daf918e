/**
 * Playwright helpers that speak VS Code's UI (selectors checked on VS Code 1.100, see
 * shared/notes/vscode-e2e.md): the command palette, input boxes and quick picks, the simple file
 * dialog, notifications, modal dialogs, context menus, the tree view, the editor's code lenses and
 * the Problems panel. Each waits for the element it needs; none sleeps.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export class Workbench {
  private shots = 0;

  constructor(readonly page: Page, private readonly artifacts: string) {}

  async ready(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.part.activitybar').waitFor();
  }

  async screenshot(name: string): Promise<string> {
    this.shots += 1;
    const file = join(this.artifacts, `${String(this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private get quickInputBox(): Locator {
    return this.quickInput.locator('input.input');
  }

  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInputBox.waitFor();
    await this.quickInputBox.fill(`>${title}`);
    const row = this.quickInput.locator('.monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await row.click();
  }

  async answer(title: string | RegExp, text: string): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
    await this.quickInputBox.fill(text);
    await this.quickInputBox.press('Enter');
  }

  /** Types `text` into the input box titled `title` and waits for the validation message `message`. */
  async expectInvalid(title: string | RegExp, text: string, message: string | RegExp): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
    // Validation runs on change: an empty answer needs a change to reach empty.
    if (text === '') await this.quickInputBox.fill('x');
    await this.quickInputBox.fill(text);
    await this.quickInput.locator('.quick-input-message', { hasText: message }).waitFor();
  }

  async pick(title: string | RegExp, label: string): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
    const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first();
    await row.waitFor();
    await row.click();
  }

  /** In the quick pick titled `title`: checks that the first row, the default, is `label`, and takes it with Enter. */
  async acceptDefault(title: string | RegExp, label: string): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
    // The row's first label is its label (a second one, for a detail, may be left from an earlier pick).
    const first = this.quickInput.locator('.monaco-list-row[data-index="0"] .label-name').first();
    await first.waitFor();
    const text = (await first.textContent()) ?? '';
    if (text !== label) throw new Error(`the first row of "${String(title)}" is "${text}", not "${label}"`);
    await this.quickInputBox.press('Enter');
  }

  /**
   * In the simple file dialog titled `title` (a quick input): waits until it shows its default
   * folder (its path ends in `startsIn`; typing before that is overwritten) and lists `listed`,
   * then types `file`, waits until the file is listed and accepts it.
   */
  async pickFileInDialog(title: string | RegExp, startsIn: string, listed: string, file: string): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
    await this.page.waitForFunction(
      (suffix) => document.querySelector<HTMLInputElement>('.quick-input-widget input.input')?.value.endsWith(suffix) ?? false,
      startsIn,
    );
    await this.quickInput.locator('.monaco-list-row', { hasText: listed }).waitFor();
    await this.quickInputBox.fill(file);
    await this.quickInput.locator('.monaco-list-row', { hasText: file.split('/').pop()! }).waitFor();
    await this.quickInput.locator('.monaco-button', { hasText: /^OK$/ }).click();
  }

  /**
   * In the simple file dialog titled `title`, picking a folder: waits until it shows its default
   * folder (its path ends in `startsIn`), then types `folder` and accepts it.
   */
  async pickFolderInDialog(title: string | RegExp, startsIn: string, folder: string): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
    await this.page.waitForFunction(
      (suffix) => document.querySelector<HTMLInputElement>('.quick-input-widget input.input')?.value.endsWith(suffix) ?? false,
      startsIn,
    );
    await this.quickInputBox.fill(`${folder}/`);
    await this.quickInputBox.press('Enter');
  }

  async quickInputClosed(): Promise<void> {
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { has: this.page.locator('.notification-list-item-message', { hasText: text }) });
  }

  /** Waits until the toast with `text` is fully shown (so a screenshot catches it). */
  async waitNotification(text: string | RegExp, timeout = 60_000): Promise<Locator> {
    const toast = this.notification(text);
    await toast.waitFor({ timeout });
    await this.page.locator('.notifications-toasts .notification-toast.notification-fade-in-done', { has: this.page.locator('.notification-list-item-message', { hasText: text }) }).first().waitFor({ timeout });
    return toast.first();
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
  }

  /** Right-clicks `target` and waits until its context menu (a shadow-DOM menu) has faded in. */
  async openContextMenu(target: Locator): Promise<Locator> {
    await target.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.waitFor();
    await menu.evaluate(async (element) => {
      const root = element.getRootNode();
      const view = (root instanceof ShadowRoot ? root.host : element).closest('.context-view');
      const inView = (animation: Animation) => {
        const target = (animation.effect as KeyframeEffect | null)?.target;
        return !!target && !!view?.contains(target);
      };
      const animations = [...(root instanceof ShadowRoot ? root.getAnimations() : []), ...document.getAnimations().filter(inView)];
      await Promise.all(animations.map((animation) => animation.finished));
    });
    return menu;
  }

  /**
   * Chooses the item labelled `label` in the open context menu `menu` and waits until it closes.
   * The item is pointed at and run with Enter: a menu item ignores mouse clicks for its first
   * 100 ms (VS Code's guard against the right-click's own mouse-up), an interval no UI event marks.
   */
  async chooseMenuItem(menu: Locator, label: string): Promise<void> {
    const name = new RegExp(`^${escapeRegExp(label)}$`);
    await menu.locator('.action-item .action-label', { hasText: name }).hover();
    await menu.locator('a.action-menu-item:focus .action-label', { hasText: name }).waitFor();
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached' });
    // The pointer off the tree (a move, not a hover: a modal may be up), so no row's hover covers
    // the next screenshot.
    const editor = await this.page.locator('.part.editor').boundingBox();
    if (editor) await this.page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
  }

  /** Runs the context menu item `label` of `target`. */
  async contextMenu(target: Locator, label: string): Promise<void> {
    await this.chooseMenuItem(await this.openContextMenu(target), label);
  }

  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  async openViewContainer(title: string): Promise<void> {
    const heading = this.page.locator('.part.sidebar .composite.title .title-label', { hasText: new RegExp(title, 'i') });
    if (await heading.isVisible()) return;
    await this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).click();
    await heading.waitFor();
  }

  treeRow(label: string): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row[role="treeitem"]', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  }

  activeRows(): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row[role="treeitem"] .label-description', { hasText: /^active$/ });
  }

  async openFile(relativePath: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInputBox.waitFor();
    await this.quickInputBox.fill(relativePath);
    const row = this.quickInput.locator('.monaco-list-row', { hasText: relativePath.split('/').pop()! }).first();
    await row.waitFor();
    await this.quickInputBox.press('Enter');
    await this.quickInputClosed();
  }

  /**
   * In the open Settings editor, on the `tab` tab ("User", "Remote", "Workspace"): searches for
   * `id` and types `value` into the setting titled `title`.
   */
  async setSetting(tab: string, id: string, title: string, value: string): Promise<void> {
    await this.page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: new RegExp(`^${tab}`) }).click();
    const search = this.page.locator('.settings-editor .settings-header .monaco-editor textarea').first();
    await search.waitFor();
    await search.fill(id);
    const item = this.page.locator('.settings-editor .setting-item-contents', { has: this.page.locator('.setting-item-label', { hasText: title }) }).first();
    await item.waitFor();
    const input = item.locator('input').first();
    await input.fill(value);
    await input.press('Enter');
  }

  codeLenses(): Locator {
    return this.page.locator('.monaco-editor .codelens-decoration a');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
