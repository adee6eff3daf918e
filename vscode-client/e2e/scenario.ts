/**
 * The scenario as a user does it, in a real VS Code against the real server on the
 * emulator: the welcome view; Create Project from Template through the palette (with a validation
 * message seen as you type); Create Device Policy; Add Things (3) with progress; the tree with the
 * active thing marked; another thing made active from the tree; the code lens and diagnostics on a
 * broken thing.conf.json; Clean Up Project through the modal confirmation.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from './steps';
import { expect } from './steps';
import type { Workbench } from './workbench';

const PROJECT = 'blink';
const POLICY = 'ZerynthThing';
const BASE = 'sensor';
const BULK = 400;

export function scenario(wb: Workbench, workspace: string): Step[] {
  const page = wb.page;
  const projectDir = join(workspace, PROJECT);
  return [
    {
      name: 'the workbench opens with the Zerynth AWS view and its welcome button',
      async run() {
        await wb.ready();
        await wb.openViewContainer('Zerynth AWS');
        await page.locator('.part.sidebar .welcome-view-content a.monaco-button', { hasText: 'Create Project from Template' }).waitFor();
        await wb.screenshot('welcome-view');
      },
    },
    {
      name: 'Create Project from Template through the palette, with input validated as you type',
      async run() {
        await wb.runCommand('Zerynth AWS: Create Project from Template');
        await wb.expectInvalid('Create Project from Template (1/4)', 'bad/name', /Not allowed in a folder name/);
        await wb.screenshot('create-project-validation');
        await wb.answer('Create Project from Template (1/4)', PROJECT);
        await wb.quickInput.locator('.quick-input-title', { hasText: 'Create Project from Template (2/4)' }).waitFor();
        await wb.screenshot('create-project-folder-picker');
        await wb.answer('Create Project from Template (2/4)', `${workspace}/`);
        await wb.answer('Create Project from Template (3/4)', '');
        await wb.answer('Create Project from Template (4/4)', POLICY);
        await wb.waitNotification(`Created project "${PROJECT}".`);
        await wb.treeRow(PROJECT).waitFor();
        const conf = JSON.parse(await readFile(join(projectDir, 'thing.conf.json'), 'utf8')) as { policy_name?: string };
        expect(conf.policy_name === POLICY, `thing.conf.json names policy ${String(conf.policy_name)}`);
        await wb.screenshot('project-created');
      },
    },
    {
      name: 'Create Device Policy through the palette',
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Create Device Policy');
        await wb.answer('Create Device Policy', POLICY);
        await wb.waitNotification(new RegExp(`(Created policy|Policy) ${POLICY}`));
      },
    },
    {
      name: 'Add Things (3) through the palette: validation, progress, result with Show in Tree',
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Add Things');
        await wb.expectInvalid('Add Things (1/2)', '0', /from 1 to 1000/);
        await wb.answer('Add Things (1/2)', '3');
        await wb.expectInvalid('Add Things (2/2)', '', /base name is required/);
        await wb.answer('Add Things (2/2)', BASE);
        const result = await wb.waitNotification(/Added 3 things to blink/);
        const text = (await result.locator('.notification-list-item-message').textContent()) ?? '';
        expect(text.includes(`${BASE}_0, ${BASE}_1, ${BASE}_2`), `result names the things: ${text}`);
        await wb.screenshot('things-added');
        await result.locator('.monaco-button', { hasText: 'Show in Tree' }).click();
        await wb.treeRow(`${BASE}_0`).locator('.label-description', { hasText: /^active$/ }).waitFor();
        await wb.treeRow(`${BASE}_2`).waitFor();
        expect((await wb.activeRows().count()) === 1, 'exactly one thing is marked active');
        await wb.screenshot('tree-with-active-thing');
      },
    },
    {
      name: 'make another thing active from the tree',
      async run() {
        const row = wb.treeRow(`${BASE}_1`);
        await row.hover();
        await row.locator('.action-label[aria-label="Set Active"]').click();
        await wb.treeRow(`${BASE}_1`).locator('.label-description', { hasText: /^active$/ }).waitFor();
        await wb.treeRow(`${BASE}_0`).locator('.label-description', { hasText: /^active$/ }).waitFor({ state: 'detached' });
        const conf = JSON.parse(await readFile(join(projectDir, 'thing.conf.json'), 'utf8')) as { thingname?: string };
        expect(conf.thingname === `${BASE}_1`, `thing.conf.json names ${String(conf.thingname)}`);
        await wb.screenshot('tree-active-switched');
      },
    },
    {
      name: 'Check Things in AWS (view title) shows each thing\'s certificate status',
      async run() {
        await page.locator('.part.sidebar .title-actions .action-label[aria-label="Check Things in AWS"]').click();
        await wb.treeRow(`${BASE}_1`).locator('.label-description', { hasText: /^active · certificate ACTIVE$/ }).waitFor();
        await wb.treeRow(`${BASE}_0`).locator('.label-description', { hasText: /^certificate ACTIVE$/ }).waitFor();
        await wb.screenshot('tree-remote-status');
      },
    },
    {
      name: "thing.conf.json shows the server's code lenses; the switch lens sets another thing active",
      async run() {
        await wb.clearNotifications();
        await wb.openFile(`${PROJECT}/thing.conf.json`);
        const lens = wb.codeLenses().filter({ hasText: `Active thing: ${BASE}_1 (2 of 3)` });
        await lens.waitFor();
        await wb.codeLenses().filter({ hasText: 'Add things' }).waitFor();
        await wb.codeLenses().filter({ hasText: 'Start FOTA' }).waitFor();
        await wb.screenshot('code-lens');
        await lens.click();
        await wb.pick('Set Active Thing', `${BASE}_2`);
        await wb.codeLenses().filter({ hasText: `Active thing: ${BASE}_2 (3 of 3)` }).waitFor();
        await wb.treeRow(`${BASE}_2`).locator('.label-description', { hasText: /^active · certificate ACTIVE$/ }).waitFor();
        await wb.screenshot('code-lens-switched');
      },
    },
    {
      name: 'a broken thing.conf.json gets a diagnostic from the server',
      async run() {
        // A misspelt key on a new line after the opening brace: still JSON, but not a key zaws knows.
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+Home');
        await page.keyboard.press('End');
        await page.keyboard.insertText('\n  "thingnme": "typo",');
        await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor();
        await page.keyboard.press('Control+Shift+M');
        const marker = page.locator('.markers-panel .monaco-list-row', { hasText: /did you mean 'thingname'/ });
        await marker.waitFor();
        expect(/zaws/.test((await marker.textContent()) ?? ''), 'the diagnostic comes from zaws');
        await wb.screenshot('diagnostics');
        await wb.runCommand('File: Revert File');
        await marker.waitFor({ state: 'detached' });
      },
    },
    {
      name: 'Clean Up Project through the modal confirmation',
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Clean Up Project');
        const dialog = wb.dialog();
        await dialog.waitFor();
        const text = (await dialog.textContent()) ?? '';
        expect(text.includes('Clean up project blink?') && text.includes(`${BASE}_0`) && text.includes('private.pem.key'), `the confirmation lists what goes: ${text}`);
        await wb.screenshot('cleanup-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Delete' }).click();
        await wb.waitNotification(/Cleaned up blink: deleted 3 things/);
        await wb.treeRow(PROJECT).locator('.label-description', { hasText: /^0 things$/ }).waitFor();
        await expectGone(join(projectDir, '.aws_things_resources'));
        await wb.screenshot('cleaned-up');
      },
    },
    {
      name: 'a long Add Things shows its progress with the count, and Cancel stops it through LSP cancellation',
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Add Things');
        await wb.answer('Add Things (1/2)', String(BULK));
        await wb.answer('Add Things (2/2)', 'bulk');
        const progress = wb.notification(new RegExp(`Adding ${BULK} things to blink`));
        // Wait for a report with a count above zero, so the screenshot shows real progress.
        await progress.locator('.notification-list-item-message', { hasText: new RegExp(`[1-9]\\d*/${BULK}`) }).waitFor();
        await wb.screenshot('progress');
        await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
        await wb.waitNotification(/Adding things: cancelled/);
        await wb.treeRow(PROJECT).locator('.label-description', { hasText: /things/ }).waitFor();
        const made = Number(/^(\d+) things?/.exec((await wb.treeRow(PROJECT).locator('.label-description').textContent()) ?? '')?.[1] ?? NaN);
        expect(made > 0 && made < BULK, `the cancelled run stopped part way (${made} of ${BULK} things)`);
        await wb.screenshot('cancelled');
      },
    },
    {
      name: 'a Python without zaws gives a clear error whose action opens the interpreter setting',
      async run() {
        await wb.clearNotifications();
        // The user points the setting at an interpreter without zaws: the client restarts the server.
        await wb.runCommand('Preferences: Open User Settings');
        // An interpreter path is machine-scoped: in code-server it lives in the Remote settings.
        await wb.setSetting('Remote', 'zaws.pythonPath', 'Python Path', '/nonexistent/python3');
        const error = await wb.waitNotification(/cannot run Python: \/nonexistent\/python3/);
        await wb.screenshot('server-cannot-start');
        await error.locator('.monaco-button', { hasText: 'Set Python Interpreter' }).click();
        await page.locator('.settings-editor .setting-item-contents', { hasText: 'Python Path' }).first().waitFor();
        await wb.screenshot('interpreter-setting');
      },
    },
  ];
}

async function expectGone(path: string): Promise<void> {
  const exists = await access(path).then(() => true, () => false);
  expect(!exists, `${path} still exists`);
}
