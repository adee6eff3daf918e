/**
 * The issue's scenario as a user does it, in a real VS Code against the real server on the
 * emulator: the welcome view; Create Project from Template through the palette (with a validation
 * message seen as you type); Create Device Policy; Add Things (3) with progress; the tree with the
 * active thing marked; another thing made active from the tree; Set Up FOTA and Start FOTA Update
 * for all things of the project (a firmware file in the `link -J` format, a rollout rate, the
 * verification result), the job under the project's Jobs node with its status and per-thing
 * executions, and its cancellation through the modal; Start FOTA Update for one thing from its
 * row's context menu (a job with one execution), Verify and Delete FOTA Job from the job row's
 * context menu; Select AWS Profile and Region (a profile of a temporary AWS config file, without
 * credentials) and back with Use Local Emulator; the code lens and diagnostics on a broken
 * thing.conf.json; Remove Thing from a row and on two selected rows (modal plan); Revoke Certificate
 * (the row marked revoked, without Set Active), Deactivate and Activate Certificate; Rotate
 * Certificate on the revoked row (its row working again, the old certificate deleted) and on two
 * selected rows keeping the old certificates; Clean Up Project through the modal confirmation; Add
 * Things with EC P-256 keys made here (each key checked, and its certificate) and from a folder of
 * two device CSRs (no private key, device-key.json naming each CSR); a project with 1,000 things
 * (records written by zaws's code, see fleet_project.py) shown soon after they change on disk, the
 * last one reached by typing in the tree and made active from its row; that project's folder, and
 * then a folder holding another project, deleted from disk and their rows gone from the tree.
 */
import { execFile } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deletedProjectsSteps } from './deletedProjects';
import { devicesSteps } from './devicesScenario';
import { KEYS, REGISTRATION } from './prompts';
import type { Step } from './steps';
import { expect } from './steps';
import type { Workbench } from './workbench';

const PROJECT = 'blink';
const POLICY = 'ZerynthThing';
const BASE = 'sensor';
const BULK = 400;
const BUCKET = 'zaws-e2e-firmware';
const ROLE = 'zaws-e2e-fota';
/** The profile in the temporary AWS config file run.ts sets up (AWS_CONFIG_FILE): no credentials anywhere. */
export const AWS_PROFILE = 'zaws-e2e';
const AWS_REGION = 'eu-central-1';
/** The project with many things: its name (also the things' base name), its size, the bound on showing them. */
const FLEET = 'fleet';
const FLEET_SIZE = 1000;
const FLEET_SHOWN_WITHIN_MS = 5000;
/** Writes the fleet's records with zaws's own code (run by ZAWS_PYTHON); this file is bundled to out/e2e. */
const FLEET_SCRIPT = join(__dirname, '..', '..', 'e2e', 'fleet_project.py');
/** Writes device CSRs and checks the keys in a thing's folder (run by ZAWS_PYTHON). */
const KEYS_SCRIPT = join(__dirname, '..', '..', 'e2e', 'thing_keys.py');
/** The base name of the things Add Things makes after Clean Up, with keys made here and from CSRs. */
const KEYS_BASE = 'ec';

/** The fleet's records, written outside the workspace (`staging`) while the e2e starts. */
export interface Fleet {
  python: string;
  staging: string;
  records: Promise<unknown>;
}

export function startFleetRecords(python: string, staging: string): Fleet {
  const records = fleetScript(python, 'records', staging, String(FLEET_SIZE), FLEET);
  // Awaited by the fleet's step; a failure before then is not an unhandled rejection.
  records.catch(() => undefined);
  return { python, staging, records };
}

async function fleetScript(python: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(python, [FLEET_SCRIPT, ...args], { timeout: 120_000 });
  return stdout.trim();
}

/** thing_keys.py: its output, or its error (a failed check) as the step's failure. */
async function keysScript(python: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(python, [KEYS_SCRIPT, ...args], { timeout: 60_000 });
    return stdout.trim();
  } catch (error) {
    throw new Error(`thing_keys.py ${args.join(' ')}: ${String((error as { stderr?: string }).stderr || error)}`);
  }
}

export function scenario(wb: Workbench, workspace: string, userSettingsFile: string, fleet: Fleet): Step[] {
  const page = wb.page;
  const projectDir = join(workspace, PROJECT);
  const firmware = join(workspace, 'firmware.json');
  let jobId = '';
  let thingJobId = '';
  /** The row of label `label` whose description matches `description` (thing and execution rows share labels). */
  const rowWith = (label: string, description: RegExp) => wb.treeRow(label).filter({ has: page.locator('.label-description', { hasText: description }) });
  const thingDir = (name: string) => join(projectDir, '.aws_things_resources', name);
  /** A thing's record (its thing.conf.json) as zaws wrote it. */
  const thingRecord = async (name: string) => JSON.parse(await readFile(join(thingDir(name), 'thing.conf.json'), 'utf8')) as Record<string, unknown>;
  const userSettings = async () => JSON.parse(await readFile(userSettingsFile, 'utf8')) as Record<string, unknown>;
  /** The rows right under the tree row labelled `label`, once it is expanded and they are shown. */
  const childrenOf = async (label: string): Promise<{ label: string; description: string }[]> => {
    const found = await page.waitForFunction((parentLabel) => {
      const rows = Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row[role="treeitem"]'))
        .map((el) => ({
          index: Number(el.getAttribute('data-index')),
          level: Number(el.getAttribute('aria-level')),
          expanded: el.getAttribute('aria-expanded'),
          label: el.querySelector('.label-name')?.textContent ?? '',
          description: el.querySelector('.label-description')?.textContent ?? '',
        }))
        .sort((a, b) => a.index - b.index);
      const at = rows.findIndex((row) => row.label === parentLabel);
      const parent = rows[at];
      if (!parent || parent.expanded !== 'true') return undefined;
      const children: { label: string; description: string }[] = [];
      for (const row of rows.slice(at + 1)) {
        if (row.level <= parent.level) break;
        if (row.level === parent.level + 1) children.push({ label: row.label, description: row.description });
      }
      return children.length ? children : undefined;
    }, label);
    return (await found.jsonValue()) as { label: string; description: string }[];
  };
  // ZAWS_E2E_DEVICES_ONLY=1 (while working on them): the simulated devices' steps and what they need.
  const onlyDevices = process.env.ZAWS_E2E_DEVICES_ONLY === '1';
  const devices = devicesSteps(wb, { workspace, userSettingsFile, otherProject: onlyDevices ? undefined : PROJECT, bucket: BUCKET, role: ROLE, policy: POLICY });
  const steps: Step[] = [
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
        await wb.pickFolderInDialog('Create Project from Template (2/4)', `${workspace}/`, workspace);
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
        await wb.acceptDefault('Add Things (1/3): Keys', KEYS.aws);
        await wb.expectInvalid('Add Things (2/3)', '0', /from 1 to 1000/);
        await wb.answer('Add Things (2/3)', '3');
        await wb.expectInvalid('Add Things (3/3)', '', /base name is required/);
        await wb.answer('Add Things (3/3)', BASE);
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
      name: 'Set Up FOTA (bucket and role) through the palette',
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Set Up FOTA (bucket and role)');
        await wb.expectInvalid('Set Up FOTA (1/2)', 'Bad_Bucket', /Lowercase letters/);
        await wb.answer('Set Up FOTA (1/2)', BUCKET);
        await wb.answer('Set Up FOTA (2/2)', ROLE);
        await wb.waitNotification(new RegExp(`FOTA ready: bucket ${BUCKET} \\(.+\\) created; role ${ROLE} created`));
      },
    },
    {
      name: 'Start FOTA Update for all things of the project through the palette; the verification result is shown',
      async run() {
        // The toolchain's `link -J` format: the bytecode in base64 and the slot it goes to.
        const bytecode = Buffer.from('zerynth e2e bytecode '.repeat(8));
        await writeFile(firmware, JSON.stringify({ bcbin: bytecode.toString('base64'), bc_idx: 1, bc: bytecode.length, vmbin: '', vm: 0, vm_idx: 0, has_vm: false, vmuid: '', info: { target: 'e2e' } }));
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Start FOTA Update');
        await wb.quickInput.locator('.quick-input-title', { hasText: 'Start FOTA Update: target' }).waitFor();
        await wb.screenshot('fota-target-pick');
        await wb.pick('Start FOTA Update: target', 'All things of the project');
        // The simple file dialog starts in the project folder.
        await wb.pickFileInDialog('Start FOTA Update: firmware JSON', `/${PROJECT}/`, 'thing.conf.json', firmware);
        await wb.answer('Start FOTA Update: bucket', BUCKET);
        await wb.answer('Start FOTA Update: role', ROLE);
        await wb.answer('Start FOTA Update: URL lifetime', '600');
        await wb.expectInvalid('Start FOTA Update: rollout rate', '0', /from 1 to 1000/);
        await wb.answer('Start FOTA Update: rollout rate', '10');
        const result = await wb.waitNotification(/FOTA job \S+ started for 3 things/);
        const text = (await result.locator('.notification-list-item-message').textContent()) ?? '';
        jobId = /FOTA job (\S+) started/.exec(text)?.[1] ?? '';
        expect(/verified: all \d+ checks passed/.test(text), `the start shows a passed verification: ${text}`);
        await wb.screenshot('fota-started-verified');
      },
    },
    {
      name: "the project's Jobs node shows the job with its status; expanding it lists each thing's execution",
      async run() {
        // A wider sidebar, so job ids and their counts fit.
        const box = await page.locator('.part.sidebar').boundingBox();
        if (box) {
          const edge = { x: box.x + box.width + 1, y: box.y + box.height / 2 };
          await page.mouse.move(edge.x, edge.y);
          await page.mouse.down();
          await page.mouse.move(edge.x + 260, edge.y, { steps: 8 });
          await page.mouse.up();
        }
        // zaws/fotaJobsChanged after the start: the collapsed node already counts the job.
        await wb.treeRow('Jobs').locator('.label-description', { hasText: /^1 job · 1 running$/ }).waitFor();
        await wb.treeRow('Jobs').click();
        const job = rowWith(jobId, /^in progress · 3 queued$/);
        await job.waitFor();
        await job.click();
        for (const i of [0, 1, 2]) await rowWith(`${BASE}_${i}`, /^queued$/).waitFor();
        expect((await job.locator('.codicon-sync').count()) === 1, 'the running job has the sync icon');
        await wb.screenshot('fota-jobs-node');
      },
    },
    {
      name: 'cancel the job from its row through the modal confirmation; its status changes',
      async run() {
        await wb.clearNotifications();
        const job = rowWith(jobId, /^in progress/);
        await job.hover();
        await job.locator('.action-label[aria-label="Cancel FOTA Job"]').click();
        const dialog = wb.dialog();
        await dialog.waitFor();
        const text = (await dialog.textContent()) ?? '';
        expect(text.includes(`Cancel FOTA job ${jobId}?`) && text.includes('Executions:'), `the confirmation names the job and its executions: ${text}`);
        await wb.screenshot('fota-cancel-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Cancel Job$/ }).click();
        await wb.waitNotification(`FOTA job ${jobId} canceled.`);
        await rowWith(jobId, /^canceled · 3 canceled$/).waitFor();
        await wb.treeRow('Jobs').locator('.label-description', { hasText: /^1 job$/ }).waitFor();
        expect((await rowWith(jobId, /^canceled/).locator('.codicon-circle-slash').count()) === 1, 'the cancelled job has the circle-slash icon');
        await wb.screenshot('fota-job-cancelled');
        // Fold the Jobs node: its execution rows share labels with the thing rows the next steps use.
        await wb.treeRow('Jobs').click();
        await wb.treeRow(jobId).waitFor({ state: 'detached' });
      },
    },
    {
      name: "Start FOTA Update for one thing from its row's context menu; the new job targets that thing alone",
      async run() {
        await wb.clearNotifications();
        const menu = await wb.openContextMenu(wb.treeRow(`${BASE}_0`));
        await wb.screenshot('thing-context-menu');
        await wb.chooseMenuItem(menu, 'Start FOTA Update');
        await wb.quickInput.locator('.monaco-list-row', { hasText: 'This thing' }).filter({ hasText: `${BASE}_0` }).waitFor();
        await wb.pick('Start FOTA Update: target', 'This thing');
        await wb.pickFileInDialog('Start FOTA Update: firmware JSON', `/${PROJECT}/`, 'thing.conf.json', firmware);
        // The bucket and the role of the last start are offered again.
        await wb.quickInput.locator('.quick-input-title', { hasText: 'Start FOTA Update: bucket' }).waitFor();
        const offered = await wb.quickInput.locator('input.input').inputValue();
        expect(offered === BUCKET, `the bucket input offers the last bucket: ${offered}`);
        await wb.answer('Start FOTA Update: bucket', BUCKET);
        await wb.answer('Start FOTA Update: role', ROLE);
        // One thing: no rollout rate is asked, the start follows the URL lifetime.
        await wb.answer('Start FOTA Update: URL lifetime', '600');
        const result = await wb.waitNotification(new RegExp(`FOTA job \\S+ started for ${BASE}_0;`));
        const text = (await result.locator('.notification-list-item-message').textContent()) ?? '';
        thingJobId = /FOTA job (\S+) started/.exec(text)?.[1] ?? '';
        expect(thingJobId !== '' && thingJobId !== jobId, `a new job: ${text}`);
        expect(/verified: all \d+ checks passed/.test(text), `the start shows a passed verification: ${text}`);
        // zaws/fotaJobsChanged: the folded Jobs node counts the new job.
        await wb.treeRow('Jobs').locator('.label-description', { hasText: /^2 jobs · 1 running$/ }).waitFor();
        await wb.treeRow('Jobs').click();
        const job = rowWith(thingJobId, /^in progress/);
        await job.waitFor();
        await job.click();
        const executions = await childrenOf(thingJobId);
        expect(executions.length === 1 && executions[0]?.label === `${BASE}_0`, `one execution, for ${BASE}_0: ${JSON.stringify(executions)}`);
        await wb.screenshot('fota-thing-job');
      },
    },
    {
      name: "Verify FOTA Job from the job row's context menu shows the verification result and its details",
      async run() {
        await wb.clearNotifications();
        await wb.contextMenu(rowWith(thingJobId, /^in progress/), 'Verify FOTA Job');
        const result = await wb.waitNotification(new RegExp(`^FOTA job ${thingJobId}: verified: all \\d+ checks passed`));
        await wb.screenshot('fota-job-verified');
        await result.locator('.monaco-button', { hasText: 'Show Details' }).click();
        await page.locator('.tabs-container .tab', { hasText: `verification-${thingJobId}.md` }).waitFor();
        await page.locator('.monaco-editor .view-lines', { hasText: `Verification of FOTA job ${thingJobId}` }).waitFor();
        await page.locator('.monaco-editor .view-lines', { hasText: 'Devices can run this job.' }).waitFor();
        await wb.screenshot('fota-verification-details');
        await wb.runCommand('View: Close All Editors');
        await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
      },
    },
    {
      name: "Delete FOTA Job from the job row's context menu through the modal confirmation; its row goes",
      async run() {
        await wb.clearNotifications();
        await wb.contextMenu(rowWith(thingJobId, /^in progress/), 'Delete FOTA Job');
        const dialog = wb.dialog();
        await dialog.waitFor();
        const text = (await dialog.textContent()) ?? '';
        expect(text.includes(`Delete FOTA job ${thingJobId}?`) && text.includes('still in progress'), `the confirmation names the job and warns it runs: ${text}`);
        await wb.screenshot('fota-delete-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Delete$/ }).click();
        await wb.waitNotification(`Deleted FOTA job ${thingJobId}.`);
        await wb.treeRow(thingJobId).waitFor({ state: 'detached' });
        await wb.treeRow('Jobs').locator('.label-description', { hasText: /^1 job$/ }).waitFor();
        expect((await rowWith(jobId, /^canceled/).count()) === 1, 'the cancelled job is still listed');
        await wb.screenshot('fota-job-deleted');
        await wb.treeRow('Jobs').click();
        await wb.treeRow(jobId).waitFor({ state: 'detached' });
      },
    },
    {
      name: 'Select AWS Profile and Region through the palette: a profile of the AWS config file, a region; the settings follow',
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Select AWS Profile and Region');
        await wb.quickInput.locator('.quick-input-title', { hasText: 'AWS Profile' }).waitFor();
        await wb.quickInput.locator('.monaco-list-row', { hasText: 'Default credential chain' }).waitFor();
        await wb.quickInput.locator('.monaco-list-row', { hasText: AWS_PROFILE }).waitFor();
        await wb.screenshot('profile-pick');
        await wb.pick('AWS Profile', AWS_PROFILE);
        await wb.quickInput.locator('.quick-input-title', { hasText: 'AWS Region' }).waitFor();
        await wb.quickInput.locator('input.input').fill(AWS_REGION);
        await wb.pick('AWS Region', AWS_REGION);
        await wb.waitNotification(`Zerynth AWS now uses profile ${AWS_PROFILE} in ${AWS_REGION}.`);
        const settings = await userSettings();
        expect(settings['zaws.profile'] === AWS_PROFILE && settings['zaws.region'] === AWS_REGION && settings['zaws.local'] === false,
          `the user settings name the profile and region, emulator off: ${JSON.stringify(settings)}`);
        // The server now asks AWS with that profile, which has no credentials: the jobs are unavailable.
        await wb.treeRow('Jobs').locator('.label-description', { hasText: /^unavailable$/ }).waitFor();
        await wb.screenshot('profile-selected');
      },
    },
    {
      name: "Use Local Emulator through the palette: back on the emulator, with the project's jobs and things",
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Use Local Emulator');
        await wb.waitNotification(/now uses the local emulator/);
        const settings = await userSettings();
        expect(settings['zaws.local'] === true, `zaws.local is on again: ${JSON.stringify(settings)}`);
        await wb.treeRow('Jobs').locator('.label-description', { hasText: /^1 job$/ }).waitFor();
        await page.locator('.part.sidebar .title-actions .action-label[aria-label="Check Things in AWS"]').click();
        await wb.treeRow(`${BASE}_1`).locator('.label-description', { hasText: /^active · certificate ACTIVE$/ }).waitFor();
        await wb.screenshot('back-on-emulator');
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
      name: "Remove Thing from a thing row's context menu: the plan in a modal, then the row and its folder go",
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Add Things');
        await wb.acceptDefault('Add Things (1/3): Keys', KEYS.aws);
        await wb.answer('Add Things (2/3)', '3');
        await wb.answer('Add Things (3/3)', BASE);
        await wb.waitNotification(/Added 3 things to blink/);
        await wb.treeRow(`${BASE}_5`).waitFor();
        await wb.clearNotifications();
        const menu = await wb.openContextMenu(wb.treeRow(`${BASE}_3`));
        await menu.locator('.action-label', { hasText: /^Remove Thing$/ }).waitFor();
        await wb.screenshot('remove-thing-context-menu');
        await wb.chooseMenuItem(menu, 'Remove Thing');
        const dialog = wb.dialog();
        await dialog.waitFor();
        const text = (await dialog.textContent()) ?? '';
        expect(text.includes(`Remove ${BASE}_3 from blink?`) && text.includes(`Deleted in AWS: ${BASE}_3, with 1 certificate.`) && !text.includes('no active thing'),
          `the confirmation lists the plan: ${text}`);
        await wb.screenshot('remove-thing-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Remove$/ }).click();
        await wb.waitNotification(`Removed ${BASE}_3 from blink.`);
        await wb.treeRow(`${BASE}_3`).waitFor({ state: 'detached' });
        await wb.treeRow(PROJECT).locator('.label-description', { hasText: new RegExp(`^5 things · active: ${BASE}_2$`) }).waitFor();
        await expectGone(join(projectDir, '.aws_things_resources', `${BASE}_3`));
        await wb.screenshot('thing-removed');
      },
    },
    {
      name: 'Remove Thing on two selected rows removes both, after one modal that names them',
      async run() {
        await wb.clearNotifications();
        await wb.treeRow(`${BASE}_4`).click();
        await wb.treeRow(`${BASE}_5`).click({ modifiers: ['Control'] });
        for (const i of [4, 5]) await wb.treeRow(`${BASE}_${i}`).and(page.locator('[aria-selected="true"]')).waitFor();
        await wb.contextMenu(wb.treeRow(`${BASE}_5`), 'Remove Thing');
        const dialog = wb.dialog();
        await dialog.waitFor();
        const text = (await dialog.textContent()) ?? '';
        expect(text.includes('Remove 2 things from blink?') && text.includes(`Deleted in AWS: ${BASE}_4, ${BASE}_5, with 2 certificates.`), `the confirmation names both: ${text}`);
        await wb.screenshot('remove-two-things-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Remove$/ }).click();
        await wb.waitNotification(`Removed ${BASE}_4, ${BASE}_5 from blink.`);
        for (const i of [4, 5]) await wb.treeRow(`${BASE}_${i}`).waitFor({ state: 'detached' });
        await wb.treeRow(PROJECT).locator('.label-description', { hasText: new RegExp(`^3 things · active: ${BASE}_2$`) }).waitFor();
        await wb.screenshot('two-things-removed');
      },
    },
    {
      name: "Revoke Certificate from a thing's row: a modal says it is final; the row shows it revoked, without Set Active",
      async run() {
        await wb.clearNotifications();
        await wb.contextMenu(wb.treeRow(`${BASE}_0`), 'Revoke Certificate');
        const dialog = wb.dialog();
        await dialog.waitFor();
        const text = (await dialog.textContent()) ?? '';
        expect(text.includes(`Revoke the certificate of ${BASE}_0?`) && text.includes('Revoking is final'), `the confirmation says revoking is final: ${text}`);
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Deactivate \(reversible\)$/ }).waitFor();
        await wb.screenshot('revoke-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Revoke$/ }).click();
        await wb.waitNotification(`Revoked the certificate of ${BASE}_0.`);
        const row = wb.treeRow(`${BASE}_0`);
        await row.locator('.label-description', { hasText: /^certificate revoked$/ }).waitFor();
        expect((await row.locator('.codicon-error').count()) === 1, 'the revoked thing has the error icon');
        expect((await row.locator('.action-label[aria-label="Set Active"]').count()) === 0, 'the revoked thing is not offered Set Active');
        expect((await wb.treeRow(`${BASE}_1`).locator('.action-label[aria-label="Set Active"]').count()) === 1, 'another thing still is');
        const menu = await wb.openContextMenu(row);
        const labels = await menu.locator('.action-item .action-label').allTextContents();
        expect(labels.includes('Remove Thing') && !labels.includes('Set Active') && !labels.includes('Revoke Certificate'), `the revoked row's menu: ${labels.join(', ')}`);
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'detached' });
        const editor = await page.locator('.part.editor').boundingBox();
        if (editor) await page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
        await wb.screenshot('certificate-revoked');
      },
    },
    {
      name: 'Deactivate (reversible) through the same modal, then Activate Certificate on the row restores it',
      async run() {
        await wb.clearNotifications();
        await wb.contextMenu(wb.treeRow(`${BASE}_1`), 'Revoke Certificate');
        const dialog = wb.dialog();
        await dialog.waitFor();
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Deactivate \(reversible\)$/ }).click();
        await wb.waitNotification(`Deactivated the certificate of ${BASE}_1.`);
        const row = wb.treeRow(`${BASE}_1`);
        await row.locator('.label-description', { hasText: /^certificate deactivated$/ }).waitFor();
        expect((await row.locator('.action-label[aria-label="Set Active"]').count()) === 0, 'the deactivated thing is not offered Set Active');
        await row.locator('.action-label[aria-label="Activate Certificate"]').waitFor({ state: 'attached' });
        await wb.screenshot('certificate-deactivated');
        await wb.clearNotifications();
        await wb.contextMenu(row, 'Activate Certificate');
        await wb.waitNotification(`Activated the certificate of ${BASE}_1 again.`);
        await row.locator('.label-description', { hasText: /certificate/ }).waitFor({ state: 'detached' });
        await row.locator('.action-label[aria-label="Set Active"]').waitFor({ state: 'attached' });
        expect((await row.locator('.action-label[aria-label="Activate Certificate"]').count()) === 0, 'Activate Certificate is gone from the active again row');
        await wb.screenshot('certificate-activated');
      },
    },
    {
      name: "Rotate Certificate on the revoked thing's row: a modal says what happens; a new certificate, the old one deleted, the row no longer revoked",
      async run() {
        await wb.clearNotifications();
        const name = `${BASE}_0`;
        const before = await thingRecord(name);
        await wb.contextMenu(wb.treeRow(name), 'Rotate Certificate');
        const dialog = wb.dialog();
        await dialog.waitFor();
        const text = (await dialog.textContent()) ?? '';
        expect(text.includes(`Rotate the certificate of ${name} in blink?`) && text.includes('Then the old certificate is deleted in AWS.') && text.includes(`The certificate of ${name} is revoked`),
          `the confirmation says what happens: ${text}`);
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Rotate$/ }).waitFor();
        expect((await dialog.locator('.dialog-buttons .monaco-button', { hasText: /keep old/ }).count()) === 0, 'a revoked certificate is not offered to be kept active');
        await wb.screenshot('rotate-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Rotate$/ }).click();
        await wb.waitNotification(`New certificate for ${name}; old one deleted.`);
        const row = wb.treeRow(name);
        await row.locator('.label-description', { hasText: /revoked/ }).waitFor({ state: 'detached' });
        await row.locator('.action-label[aria-label="Set Active"]').waitFor({ state: 'attached' });
        expect((await row.locator('.codicon-error').count()) === 0, 'the rotated thing has no error icon');
        const after = await thingRecord(name);
        expect(typeof after.cert_arn === 'string' && after.cert_arn !== before.cert_arn && after.certificate_status === undefined && after.previous_cert_arn === undefined,
          `the record names the new certificate only: ${JSON.stringify(after)}`);
        await expectGone(join(thingDir(name), 'certificate.pem.crt.previous'));
        const editor = await page.locator('.part.editor').boundingBox();
        if (editor) await page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
        await wb.screenshot('certificate-rotated');
      },
    },
    {
      name: 'Rotate Certificate on two selected rows, keeping the old certificates: both get new ones, the active thing\'s top-level copies follow',
      async run() {
        await wb.clearNotifications();
        const names = [`${BASE}_1`, `${BASE}_2`];
        const before = await Promise.all(names.map(thingRecord));
        await wb.treeRow(names[0]!).click();
        await wb.treeRow(names[1]!).click({ modifiers: ['Control'] });
        for (const n of names) await wb.treeRow(n).and(page.locator('[aria-selected="true"]')).waitFor();
        await wb.contextMenu(wb.treeRow(names[1]!), 'Rotate Certificate');
        const dialog = wb.dialog();
        await dialog.waitFor();
        const text = (await dialog.textContent()) ?? '';
        expect(text.includes('Rotate the certificates of 2 things in blink?') && text.includes(`Each of ${names.join(', ')} gets a new private key`) && text.includes(`${names[1]!} is the project's active thing`),
          `the confirmation names both and the active one: ${text}`);
        await wb.screenshot('rotate-two-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Rotate, keep old certificate active$/ }).click();
        await wb.waitNotification(`New certificates for ${names.join(', ')}; old ones kept.`);
        await wb.treeRow(names[1]!).locator('.label-description', { hasText: /^active$/ }).waitFor();
        for (const [i, n] of names.entries()) {
          const after = await thingRecord(n);
          expect(typeof after.cert_arn === 'string' && after.cert_arn !== before[i]!.cert_arn && after.previous_cert_arn === before[i]!.cert_arn,
            `${n}'s record names the new certificate and the kept one: ${JSON.stringify(after)}`);
          await access(join(thingDir(n), 'certificate.pem.crt.previous'));
        }
        const [top, active] = await Promise.all([readFile(join(projectDir, 'certificate.pem.crt'), 'utf8'), readFile(join(thingDir(names[1]!), 'certificate.pem.crt'), 'utf8')]);
        expect(top === active, "the project's top-level certificate is the active thing's new one");
        await wb.screenshot('certificates-rotated-two');
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
      name: "Add Things with keys made here (EC P-256), one call per thing: each thing's folder has its EC key and a certificate for it",
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Add Things');
        await wb.quickInput.locator('.monaco-list-row', { hasText: KEYS.csr }).waitFor();
        await wb.screenshot('add-things-keys-pick');
        await wb.pick('Add Things (1/3): Keys', KEYS.ecP256);
        await wb.answer('Add Things (2/4)', '2');
        await wb.quickInput.locator('.quick-input-title', { hasText: 'Add Things (3/4): Registration' }).waitFor();
        await wb.screenshot('add-things-registration-pick');
        await wb.acceptDefault('Add Things (3/4): Registration', REGISTRATION.perThing);
        await wb.answer('Add Things (4/4)', KEYS_BASE);
        await wb.waitNotification(`Added 2 things to blink: ${KEYS_BASE}_0, ${KEYS_BASE}_1. Keys made here (EC P-256), in each thing's folder.`);
        await wb.treeRow(`${KEYS_BASE}_1`).waitFor();
        await wb.screenshot('things-added-keys-made-here');
        for (const i of [0, 1]) console.log(`  ${await keysScript(fleet.python, 'made-here', thingDir(`${KEYS_BASE}_${i}`), 'secp256r1')}`);
      },
    },
    {
      name: "Add Things from a folder of 2 CSRs (keys on the devices): no count asked; each thing's folder has device-key.json, no private key",
      async run() {
        const csrDir = join(workspace, 'device-csrs');
        await keysScript(fleet.python, 'csrs', csrDir, '2');
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Add Things');
        await wb.pick('Add Things (1/3): Keys', KEYS.csr);
        await wb.pickFolderInDialog('Add Things (2/4): the folder of CSRs', `/${PROJECT}/`, csrDir);
        await wb.acceptDefault('Add Things (3/4): Registration', REGISTRATION.perThing);
        await wb.answer('Add Things (4/4)', '');
        await wb.waitNotification(`Added 2 things to blink: ${KEYS_BASE}_2, ${KEYS_BASE}_3. Keys stay on the devices; certificates for device-0.csr → ${KEYS_BASE}_2, device-1.csr → ${KEYS_BASE}_3.`);
        await wb.treeRow(`${KEYS_BASE}_3`).waitFor();
        await wb.screenshot('things-added-from-csrs');
        for (const i of [0, 1]) console.log(`  ${await keysScript(fleet.python, 'on-device', thingDir(`${KEYS_BASE}_${i + 2}`), join(csrDir, `device-${i}.csr`))}`);
      },
    },
    ...devices,
    {
      name: 'a long Add Things shows its progress with the count, and Cancel stops it through LSP cancellation',
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Add Things');
        await wb.acceptDefault('Add Things (1/3): Keys', KEYS.aws);
        await wb.answer('Add Things (2/3)', String(BULK));
        await wb.answer('Add Things (3/3)', 'bulk');
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
      name: `a project with ${FLEET_SIZE} things: its rows are shown soon after the things change on disk; typing in the tree reaches the last, made active from its row`,
      async run() {
        await wb.clearNotifications();
        // blink's things out of the way, so the fleet's rows come right under its row.
        await wb.treeRow(PROJECT).click();
        await wb.treeRow(PROJECT).and(page.locator('[aria-expanded="false"]')).waitFor();
        // The pointer off the tree (the keyboard focus stays), so no tooltip covers its rows.
        const editor = await page.locator('.part.editor').boundingBox();
        if (editor) await page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
        await fleet.records;
        const fleetDir = join(workspace, FLEET);
        await fleetScript(fleet.python, 'create', fleetDir);
        await wb.treeRow(FLEET).locator('.label-description', { hasText: /^0 things$/ }).waitFor();
        // The tree started over with a new project: the folded blink still counts its things.
        await wb.treeRow(PROJECT).locator('.label-description', { hasText: /^\d+ things?( · |$)/ }).waitFor();
        // Watched from before the change: the first frame with the project's row counting the things
        // and its first things' rows shown, the first one active.
        const shown = page.waitForFunction(({ project, size }) => {
          const rows = Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row[role="treeitem"]'));
          const description = (label: string) => {
            const row = rows.find((el) => el.querySelector('.label-name')?.textContent === label);
            return row ? (row.querySelector('.label-description')?.textContent ?? '') : undefined;
          };
          const ok = description(project) === `${size} things · active: ${project}_0` && description(`${project}_0`) === 'active' && description(`${project}_1`) === '';
          return ok ? Date.now() : false;
        }, { project: FLEET, size: FLEET_SIZE }, { polling: 'raf', timeout: 30_000 });
        shown.catch(() => undefined);
        const changedAt = Number(await fleetScript(fleet.python, 'publish', fleetDir, fleet.staging, FLEET));
        const shownAt = Number(await (await shown).jsonValue());
        const elapsed = shownAt - changedAt;
        console.log(`  ${FLEET_SIZE} things shown in the tree ${elapsed} ms after they changed on disk (bound: ${FLEET_SHOWN_WITHIN_MS} ms)`);
        expect(elapsed >= 0 && elapsed < FLEET_SHOWN_WITHIN_MS, `the ${FLEET_SIZE} things were shown ${elapsed} ms after they changed on disk`);
        await wb.screenshot('fleet-shown');
        // Type navigation: typing a label in the focused tree moves to it, scrolling the rows.
        const last = `${FLEET}_${FLEET_SIZE - 1}`;
        await page.keyboard.type(last);
        const lastRow = wb.treeRow(last);
        await lastRow.and(page.locator('.focused')).waitFor();
        await lastRow.hover();
        await lastRow.locator('.action-label[aria-label="Set Active"]').click();
        await wb.waitNotification(`Active thing: ${last}.`);
        await lastRow.locator('.label-description', { hasText: /^active$/ }).waitFor();
        const conf = JSON.parse(await readFile(join(fleetDir, 'thing.conf.json'), 'utf8')) as { thingname?: string };
        expect(conf.thingname === last, `thing.conf.json names ${String(conf.thingname)}`);
        await wb.screenshot('fleet-last-active');
        // Back at the top: the project's row names the new active thing; the first thing is no longer active.
        await page.keyboard.press('Home');
        await wb.treeRow(FLEET).locator('.label-description', { hasText: new RegExp(`^${FLEET_SIZE} things · active: ${last}$`) }).waitFor();
        await wb.treeRow(`${FLEET}_0`).waitFor();
        expect((await wb.treeRow(`${FLEET}_0`).locator('.label-description', { hasText: /^active$/ }).count()) === 0, `${FLEET}_0 is no longer marked active`);
      },
    },
    // The fleet is not needed after this: its folder is deleted from disk, then a folder holding a project.
    ...deletedProjectsSteps(wb, { workspace, project: FLEET, kept: PROJECT, createProject: (folder) => fleetScript(fleet.python, 'create', folder) }),
    {
      name: 'a Python without zaws gives a clear error whose action opens the interpreter setting',
      async run() {
        await wb.clearNotifications();
        // The user points the setting at an interpreter without zaws: the client restarts the server.
        await wb.runCommand('Preferences: Open User Settings');
        // An interpreter path is machine-scoped: in code-server it lives in the Remote settings.
        await wb.setSetting('Remote', 'zaws.pythonPath', 'Python Path', '/nonexistent/python3');
        const error = await wb.waitNotification(/(cannot run Python|needs Python 3\.11 or newer): \/nonexistent\/python3/);
        await wb.screenshot('server-cannot-start');
        await error.locator('.monaco-button', { hasText: 'Set Python Interpreter' }).click();
        await page.locator('.settings-editor .setting-item-contents', { hasText: 'Python Path' }).first().waitFor();
        await wb.screenshot('interpreter-setting');
      },
    },
  ];
  const needed = [/^the workbench opens/, /^Create Device Policy/, /^Set Up FOTA/];
  return onlyDevices ? steps.filter((step) => devices.includes(step) || needed.some((name) => name.test(step.name))) : steps;
}

async function expectGone(path: string): Promise<void> {
  const exists = await access(path).then(() => true, () => false);
  expect(!exists, `${path} still exists`);
}
