/**
 * Simulated devices end to end (issue 12), in the real VS Code against the real server on the
 * emulator: a project of its own ("devices") with 3 things added from its row; Simulate All Things
 * from its row (each row marked running, their samples in the Messages view in the panel); the
 * view's filter, Pause and Clear, and its messages kept while the panel is closed; Start FOTA
 * Update for the project, the job row showing 3 succeeded and the job completed within 30 s as the
 * devices move their executions; Stop Simulated Devices; a device run with fail-md5 whose execution
 * row shows FAILED with its reason; the Messages view at over 100 messages a second (8 devices, a
 * sample every 10 ms asked), measured and printed; Subscribe to Topic as you while a device runs (it stays
 * connected), Unsubscribe; Check Device Connection with its report. At the end the project goes
 * (its folder deleted) and blink is expanded again, as the steps after these expect.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { MessagesPanel } from './messagesPanel';
import { KEYS } from './prompts';
import type { Step } from './steps';
import { expect } from './steps';
import type { Workbench } from './workbench';

const PROJECT = 'devices';
const BASE = 'dev';
const THINGS = [0, 1, 2].map((i) => `${BASE}_${i}`);
const FOTA_DONE_WITHIN_MS = 30_000;
/** 8 devices, a sample every 10 ms asked: as many as they publish, over 100 a second. */
const FLOOD_INTERVAL_S = 0.01;
const FLOOD_WATCH_MS = 5000;

export interface DevicesContext {
  workspace: string;
  userSettingsFile: string;
  /** The project whose row is expanded before and after these steps (none when they run alone). */
  otherProject: string | undefined;
  bucket: string;
  role: string;
  policy: string;
}

export function devicesSteps(wb: Workbench, ctx: DevicesContext): Step[] {
  const page = wb.page;
  const panel = new MessagesPanel(page);
  const projectDir = join(ctx.workspace, PROJECT);
  const firmware = join(projectDir, 'firmware.json');
  /** For slot 0: after the first update the devices run slot 1, and a job for the running slot is "bad fota data". */
  const firmwareSlot0 = join(projectDir, 'firmware-slot0.json');
  const rowWith = (label: string, description: RegExp) => wb.treeRow(label).filter({ has: page.locator('.label-description', { hasText: description }) });
  const running = (name: string) => rowWith(name, /simulated device running/);
  const projectRow = () => wb.treeRow(PROJECT);
  const pointerOffTree = async () => {
    const editor = await page.locator('.part.editor').boundingBox();
    if (editor) await page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
  };
  /** Sets the device settings in the Settings editor (User tab), as a user does, and waits until it shows them. */
  const deviceSettings = async (values: { sampleInterval: string; fotaResult: string }) => {
    await wb.runCommand('Preferences: Open User Settings');
    await page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: /^User/ }).click();
    const search = page.locator('.settings-editor .settings-header .monaco-editor textarea').first();
    await search.waitFor();
    await search.fill('zaws.devices');
    const item = (title: string) => page.locator('.settings-editor .setting-item-contents', { has: page.locator('.setting-item-label', { hasText: title }) }).first();
    const interval = item('Sample Interval').locator('input');
    await interval.waitFor();
    if ((await interval.inputValue()) !== values.sampleInterval) {
      await interval.fill(values.sampleInterval);
      await interval.press('Enter');
    }
    const select = item('Fota Result').locator('select');
    if ((await select.inputValue()) !== values.fotaResult) {
      await select.click();
      await page.locator('.monaco-select-box-dropdown-container .option-text', { hasText: new RegExp(`^${values.fotaResult}$`) }).click();
    }
    await page.waitForFunction(({ every, result }) => {
      const items = Array.from(document.querySelectorAll('.settings-editor .setting-item-contents'));
      const find = (title: string) => items.find((el) => el.querySelector('.setting-item-label')?.textContent?.includes(title));
      return find('Sample Interval')?.querySelector('input')?.value === every && find('Fota Result')?.querySelector('select')?.value === result;
    }, { every: values.sampleInterval, result: values.fotaResult });
    // Written to the user settings file: the extension host has the change too.
    await expectSoon(async () => {
      const settings = JSON.parse(await readFile(ctx.userSettingsFile, 'utf8')) as Record<string, unknown>;
      const every = settings['zaws.devices.sampleInterval'];
      return String(typeof every === 'number' ? every : 5) === values.sampleInterval && (settings['zaws.devices.fotaResult'] ?? 'succeed') === values.fotaResult;
    }, 'the user settings file has the device settings');
    await wb.runCommand('View: Close All Editors');
    await page.locator('.settings-editor').waitFor({ state: 'detached' });
  };
  const writeFirmware = async () => {
    const bytecode = Buffer.from('zerynth e2e simulated device bytecode '.repeat(8));
    const link = (slot: number) => JSON.stringify({ bcbin: bytecode.toString('base64'), bc_idx: slot, bc: bytecode.length, vmbin: '', vm: 0, vm_idx: 0, has_vm: false, vmuid: '', info: { target: 'e2e' } });
    await writeFile(firmware, link(1));
    await writeFile(firmwareSlot0, link(0));
  };
  /** Start FOTA Update's prompts after the target: the firmware, the last bucket and role, a URL lifetime, and for several things no rollout limit. */
  const fotaPrompts = async (several: boolean, file = firmware) => {
    await wb.pickFileInDialog('Start FOTA Update: firmware JSON', `/${PROJECT}/`, 'thing.conf.json', file);
    await wb.answer('Start FOTA Update: bucket', ctx.bucket);
    await wb.answer('Start FOTA Update: role', ctx.role);
    await wb.answer('Start FOTA Update: URL lifetime', '600');
    if (several) await wb.answer('Start FOTA Update: rollout rate', '');
  };
  /** A wider sidebar (as the main scenario's Jobs step makes it), so job ids and their counts fit. */
  const wideSidebar = async () => {
    const box = await page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= 500) return;
    const edge = { x: box.x + box.width + 1, y: box.y + box.height / 2 };
    await page.mouse.move(edge.x, edge.y);
    await page.mouse.down();
    await page.mouse.move(edge.x + 260, edge.y, { steps: 8 });
    await page.mouse.up();
  };
  /** Add Things from the project's row (inline action): `count` things, base name `base` ('' keeps the project's). */
  const addThings = async (count: number, base: string) => {
    await wb.clearNotifications();
    const row = projectRow();
    await row.hover();
    await row.locator('.action-label[aria-label="Add Things"]').click();
    await wb.acceptDefault(/Add Things \(1\/\d\): Keys/, KEYS.aws);
    await wb.answer(/Add Things \(2\/\d\)/, String(count));
    await wb.answer(/Add Things \(3\/\d\)/, base);
    // Options added later keep their defaults.
    const added = wb.notification(new RegExp(`Added ${count} things to ${PROJECT}`));
    while (!(await added.isVisible())) {
      const more = wb.quickInput.locator('.quick-input-title', { hasText: /Add Things/ });
      const next = await Promise.race([added.waitFor({ timeout: 120_000 }).then(() => 'added'), more.waitFor({ timeout: 120_000 }).then(() => 'prompt')]);
      if (next === 'prompt') await wb.quickInput.locator('input.input').press('Enter');
    }
  };
  let jobId = '';
  return [
    {
      name: `a project "${PROJECT}" with 3 things added from its row`,
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Create Project from Template');
        await wb.answer(/Create Project from Template \(1\/\d\)/, PROJECT);
        await wb.pickFolderInDialog(/Create Project from Template \(2\/\d\)/, `${ctx.workspace}/`, ctx.workspace);
        await wb.answer(/Create Project from Template \(3\/\d\)/, '');
        await wb.answer(/Create Project from Template \(4\/\d\)/, ctx.policy);
        await wb.waitNotification(`Created project "${PROJECT}".`);
        await wb.clearNotifications();
        await addThings(3, BASE);
        for (const name of THINGS) await wb.treeRow(name).waitFor();
        // The other project folded (after the tree started over with the new project, which shows
        // projects expanded), so this one's rows and its "Jobs" are the only ones shown.
        if (ctx.otherProject) {
          const other = wb.treeRow(ctx.otherProject);
          if ((await other.getAttribute('aria-expanded')) === 'true') await other.click();
          await other.and(page.locator('[aria-expanded="false"]')).waitFor();
          await wb.treeRow('Jobs').waitFor();
        }
        await writeFirmware();
      },
    },
    {
      name: "Simulate All Things from the project's context menu: the rows are marked running, their samples arrive in the Messages view",
      async run() {
        await wb.clearNotifications();
        await wb.contextMenu(projectRow(), 'Simulate All Things');
        await wb.waitNotification(/^3 things run as simulated devices: a sample every 5 s; FOTA jobs succeed/);
        for (const name of THINGS) await running(name).waitFor();
        expect((await running(THINGS[0]!).locator('.codicon-radio-tower').count()) === 1, 'a running thing has the radio-tower icon');
        await page.locator('.part.panel .composite.title', { hasText: /Messages/i }).first().waitFor();
        await panel.ready();
        for (const name of THINGS) await panel.row(`${name}/samples`, `${name} (simulated)`).first().waitFor();
        const body = (await panel.row(`${THINGS[0]!}/samples`).first().locator('pre.body').textContent()) ?? '';
        expect(/^\{\n {2}"temperature": \d+,\n {2}"uptime_ms": \d+\n\}$/.test(body), `a sample is shown as pretty JSON: ${JSON.stringify(body)}`);
        await panel.row(/^connected$/, `${THINGS[0]!} (simulated)`).first().waitFor();
        await wb.clearNotifications();
        await pointerOffTree();
        await wb.screenshot('devices-running-messages');
      },
    },
    {
      name: 'the Messages view: a topic filter, Pause (new messages counted, not shown), Resume, Clear; its messages are kept while the panel is closed',
      async run() {
        await panel.applyFilter(`${THINGS[1]!}/samples`, new RegExp(`^${THINGS[1]!}/samples$`));
        await panel.status.filter({ hasText: /^\d+ of [\d,]+ messages? match(es)?$/ }).waitFor();
        await wb.screenshot('messages-filtered');
        await panel.applyFilter('', /./);
        await panel.button('Pause').click();
        const shown = await panel.rows.count();
        await panel.status.filter({ hasText: /paused: [1-9]\d* new/ }).waitFor({ timeout: 20_000 });
        expect((await panel.rows.count()) === shown, 'no row is added while paused');
        await wb.screenshot('messages-paused');
        await panel.button('Resume').click();
        await panel.frame.locator('#status:not(.paused)').waitFor();
        // Closed and opened again: the webview is made anew and shows the kept messages.
        const before = await panel.rows.count();
        await wb.runCommand('View: Hide Panel');
        await page.locator('.part.panel').waitFor({ state: 'hidden' });
        await wb.runCommand('Zerynth AWS: Show Messages');
        await panel.ready();
        await panel.rows.nth(Math.max(0, before - 1)).waitFor();
        await panel.button('Clear').click();
        await panel.status.filter({ hasText: /^No messages yet|^\d+ messages?$/ }).waitFor();
        expect((await panel.rows.count()) <= 3, 'cleared: at most the messages since');
      },
    },
    {
      name: 'Start FOTA Update for the project from its Jobs node: within 30 s the job row shows 3 succeeded and the job completed',
      async run() {
        await wb.clearNotifications();
        await wb.contextMenu(wb.treeRow('Jobs'), 'Start FOTA Update');
        await wb.pick('Start FOTA Update: target', 'All things of the project');
        await fotaPrompts(true);
        const result = await wb.waitNotification(/FOTA job \S+ started for 3 things/);
        const startedAt = Date.now();
        const text = (await result.locator('.notification-list-item-message').textContent()) ?? '';
        jobId = /FOTA job (\S+) started/.exec(text)?.[1] ?? '';
        expect(jobId !== '', `the job id is named: ${text}`);
        await wideSidebar();
        await wb.treeRow('Jobs').click();
        const job = wb.treeRow(jobId);
        await job.waitFor();
        await job.click();
        await rowWith(jobId, /^completed · 3 succeeded$/).waitFor({ timeout: FOTA_DONE_WITHIN_MS });
        const elapsed = Date.now() - startedAt;
        console.log(`  the FOTA job of 3 simulated devices completed ${elapsed} ms after it started (bound: ${FOTA_DONE_WITHIN_MS} ms)`);
        for (const name of THINGS) await rowWith(name, /^succeeded$/).waitFor();
        expect((await rowWith(jobId, /^completed/).locator('.codicon-pass').count()) === 1, 'the completed job has the pass icon');
        await panel.row(/^job$/, `${THINGS[0]!} (simulated)`).filter({ hasText: 'SUCCEEDED' }).first().waitFor();
        await wb.clearNotifications();
        await pointerOffTree();
        await wb.screenshot('devices-fota-succeeded');
      },
    },
    {
      name: "Stop Simulated Devices from the project's context menu: the running marks go",
      async run() {
        await wb.clearNotifications();
        await wb.treeRow('Jobs').click();
        await wb.treeRow(jobId).waitFor({ state: 'detached' });
        await wb.contextMenu(projectRow(), 'Stop Simulated Devices');
        await wb.waitNotification(`Stopped 3 simulated devices: ${THINGS.join(', ')}.`);
        for (const name of THINGS) await running(name).waitFor({ state: 'detached' });
        await panel.row(/^disconnected$/, `${THINGS[2]!} (simulated)`).first().waitFor();
      },
    },
    {
      name: 'a device run with fail-md5 (setting zaws.devices.fotaResult): its execution row shows FAILED with the reason',
      async run() {
        await deviceSettings({ sampleInterval: '5', fotaResult: 'fail-md5' });
        await wb.clearNotifications();
        const row = wb.treeRow(THINGS[2]!);
        await row.hover();
        await row.locator('.action-label[aria-label="Simulate Device"]').click();
        await wb.waitNotification(new RegExp(`^${THINGS[2]!} runs as a simulated device: .*fail their MD5 check`));
        await running(THINGS[2]!).waitFor();
        await wb.clearNotifications();
        await wb.contextMenu(wb.treeRow(THINGS[2]!), 'Start FOTA Update');
        await wb.pick('Start FOTA Update: target', 'This thing');
        await fotaPrompts(false, firmwareSlot0);
        const result = await wb.waitNotification(new RegExp(`FOTA job \\S+ started for ${THINGS[2]!};`));
        const text = (await result.locator('.notification-list-item-message').textContent()) ?? '';
        const failedJob = /FOTA job (\S+) started/.exec(text)?.[1] ?? '';
        await wb.treeRow('Jobs').click();
        const job = wb.treeRow(failedJob);
        await job.waitFor();
        await job.click();
        await rowWith(THINGS[2]!, /^failed · bad crc$/).waitFor({ timeout: FOTA_DONE_WITHIN_MS });
        await panel.row(/^job$/, `${THINGS[2]!} (simulated)`).filter({ hasText: 'FAILED (bad crc)' }).first().waitFor();
        await wb.clearNotifications();
        await pointerOffTree();
        await wb.screenshot('devices-fota-failed-md5');
        await wb.treeRow('Jobs').click();
        await wb.treeRow(failedJob).waitFor({ state: 'detached' });
        await running(THINGS[2]!).hover();
        await running(THINGS[2]!).locator('.action-label[aria-label="Stop Simulated Device"]').click();
        await wb.waitNotification(`Stopped the simulated device ${THINGS[2]!}.`);
        await running(THINGS[2]!).waitFor({ state: 'detached' });
      },
    },
    {
      name: 'the Messages view at over 100 messages a second (8 devices, a sample every 10 ms asked) stays responsive: measured',
      async run() {
        // A device publishes some 20 samples a second here (each QoS 0 publish waits for the broker's
        // round trip): 5 more things make the 8 devices of the flood.
        await addThings(5, '');
        await deviceSettings({ sampleInterval: String(FLOOD_INTERVAL_S), fotaResult: 'succeed' });
        await wb.clearNotifications();
        await wb.contextMenu(projectRow(), 'Simulate All Things');
        await wb.waitNotification(/^8 things run as simulated devices: a sample every 0\.01 s/);
        await panel.ready();
        await panel.button('Clear').click();
        // Flowing: rows arrive.
        await panel.rows.nth(50).waitFor({ timeout: 20_000 });
        const flood = await panel.watchFlood(FLOOD_WATCH_MS);
        const filterMs: number[] = [];
        for (const thing of [THINGS[1]!, THINGS[2]!, THINGS[0]!]) filterMs.push(await panel.applyFilter(`${thing}/samples`, new RegExp(`^${thing}/samples$`)));
        filterMs.push(await panel.applyFilter('', /./));
        const pauseStarted = Date.now();
        await panel.button('Pause').click();
        await panel.frame.locator('#status.paused').waitFor();
        const pauseMs = Date.now() - pauseStarted;
        await wb.screenshot('messages-flood-paused');
        await panel.button('Resume').click();
        await panel.frame.locator('#status:not(.paused)').waitFor();
        const status = (await panel.status.textContent()) ?? '';
        console.log(`  Messages view at ${flood.rowsPerSecond} messages/s shown (${FLOOD_WATCH_MS / 1000} s, 8 simulated devices, a sample every ${FLOOD_INTERVAL_S * 1000} ms): ` +
          `longest frame ${flood.webviewLongestFrameMs} ms in the view (p95 ${flood.webviewP95FrameMs} ms), ${flood.workbenchLongestFrameMs} ms in the workbench (p95 ${flood.workbenchP95FrameMs} ms); ` +
          `filter shown in ${filterMs.join(', ')} ms; Pause shown in ${pauseMs} ms; status: ${status}`);
        expect(flood.rowsPerSecond >= 100, `messages reach the view at ${flood.rowsPerSecond}/s`);
        // Loose bounds: on the shared 2-core machine other sessions' tests starve the whole browser at
        // times (p95 frames of 100 ms in the workbench too); the figures above are the measurement
        // (unloaded runs: filter 0.2-0.7 s, Pause 0.2-0.8 s, p95 frame 17-33 ms at 100-170 messages/s).
        expect(Math.max(...filterMs) < 6000 && pauseMs < 6000, `the filter (${filterMs.join(', ')} ms) and Pause (${pauseMs} ms) answer within 6 s`);
        expect(flood.webviewP95FrameMs < 250 && flood.workbenchP95FrameMs < 250, `frames stay short (p95 ${flood.webviewP95FrameMs} ms in the view, ${flood.workbenchP95FrameMs} ms in the workbench)`);
        await wb.clearNotifications();
        await wb.contextMenu(projectRow(), 'Stop Simulated Devices');
        await wb.waitNotification(/^Stopped 8 simulated devices/);
        for (const name of THINGS) await running(name).waitFor({ state: 'detached' });
        await deviceSettings({ sampleInterval: '5', fotaResult: 'succeed' });
      },
    },
    {
      name: 'Subscribe to Topic as you while a device runs: its messages arrive as yours and the device stays connected; Unsubscribe',
      async run() {
        await wb.clearNotifications();
        const row = wb.treeRow(THINGS[0]!);
        await row.hover();
        await row.locator('.action-label[aria-label="Simulate Device"]').click();
        await running(THINGS[0]!).waitFor();
        await panel.ready();
        await panel.button('Clear').click();
        await wb.runCommand('Zerynth AWS: Subscribe to Topic');
        if (ctx.otherProject) await wb.pick('Project', PROJECT);
        await wb.expectInvalid(/Subscribe to Topic \(1\/2\)/, `${BASE}_0/#/x`, /# must be a whole level/);
        await wb.answer(/Subscribe to Topic \(1\/2\)/, '+/samples');
        await wb.quickInput.locator('.monaco-list-row', { hasText: THINGS[0]! }).filter({ hasText: 'runs as a simulated device' }).waitFor();
        await wb.pick(/Subscribe to Topic \(2\/2\)/, 'You (your AWS identity)');
        await wb.waitNotification('Subscribed to +/samples as you. Messages: Messages view.');
        await panel.row(`${THINGS[0]!}/samples`, /^you$/).first().waitFor({ timeout: 20_000 });
        await panel.row(`${THINGS[0]!}/samples`, `${THINGS[0]!} (simulated)`).first().waitFor();
        await wb.screenshot('messages-subscribed-as-you');
        expect((await panel.row(/^disconnected$/, `${THINGS[0]!} (simulated)`).count()) === 0, 'the device was not thrown off');
        await running(THINGS[0]!).waitFor();
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Unsubscribe from Topic');
        await wb.waitNotification(/^Unsubscribed from \+\/samples \([1-9]\d* messages?\)\.$/);
      },
    },
    {
      name: "Check Device Connection from a thing's context menu: the result, and its steps on Show Details",
      async run() {
        await wb.clearNotifications();
        await wb.contextMenu(wb.treeRow(THINGS[1]!), 'Check Device Connection');
        const result = await wb.waitNotification(new RegExp(`^${THINGS[1]!} connects and may do what its firmware does \\(connect, samples, commands, jobs, shadow\\)\\.`), 90_000);
        await wb.screenshot('device-check');
        await result.locator('.monaco-button', { hasText: 'Show Details' }).click();
        await page.locator('.tabs-container .tab', { hasText: `device-check-${THINGS[1]!}.md` }).waitFor();
        await page.locator('.monaco-editor .view-lines', { hasText: `Connection check of ${THINGS[1]!}` }).waitFor();
        await wb.runCommand('View: Close All Editors');
        await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
      },
    },
    {
      name: `the "${PROJECT}" project goes: its device stopped, its folder deleted; the tree shows the other project again`,
      async run() {
        await wb.clearNotifications();
        await wb.runCommand('Zerynth AWS: Stop Simulated Devices');
        await wb.waitNotification(`Stopped the simulated device ${THINGS[0]!}.`);
        await wb.runCommand('View: Hide Panel');
        await page.locator('.part.panel').waitFor({ state: 'hidden' });
        // Its thing.conf.json first: the tree follows that file (a deleted folder alone may report no file event).
        await rm(join(projectDir, 'thing.conf.json'));
        await projectRow().waitFor({ state: 'detached' });
        await rm(projectDir, { recursive: true, force: true });
        if (ctx.otherProject) {
          await wb.treeRow(ctx.otherProject).click();
          await wb.treeRow(ctx.otherProject).and(page.locator('[aria-expanded="true"]')).waitFor();
        }
      },
    },
  ];
}

/** Checks `condition` every 100 ms until it holds (a file another process writes), for at most 10 s. */
async function expectSoon(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await condition().catch(() => false)) return;
    await delay(100);
  }
  throw new Error(`not within 10 s: ${what}`);
}
