/**
 * The extension as a new user installs it: the built .vsix into a fresh code-server whose Python
 * (python3 on the PATH) has no zaws, an empty folder, no zaws.pythonPath. Through the UI: the
 * Things view's welcome opens the walkthrough; its first steps (Use the Local Emulator, Create
 * Project from Template, Create Device Policy, Add Things) start the server from what the
 * extension brought, its wheel installed with progress into the extension's own environment. Runs after run.ts's scenario.
 *
 * Env: CODE_SERVER (its bin), ZAWS_VSIX, ZAWS_ARTIFACTS (screenshots and logs go to its install/),
 *      ZAWS_BASE_PYTHON (default: python3 on the PATH; must not have zaws).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { installExtension, makeFolders, startCodeServer, writeUserSettings, type RunningCodeServer } from './codeServer';
import { KEYS } from './prompts';
import { expect, runSteps, type Step } from './steps';
import { Workbench } from './workbench';

const run = promisify(execFile);
const WALKTHROUGH = 'Get Started with Zerynth AWS IoT';
const PROJECT = 'first';
const POLICY = 'ZerynthThing';
/** First use downloads zaws's dependencies from the package index: minutes on a slow line. */
const INSTALL_TIMEOUT_MS = 600_000;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

/** A PATH whose python3 is `basePython` and that holds no virtual environment's bin folder. */
async function pathWithOnly(basePython: string, binDir: string): Promise<string> {
  await mkdir(binDir, { recursive: true });
  const { stdout } = await run(basePython, ['-c', 'import sys; print(sys.executable)']);
  await symlink(await realpath(stdout.trim()), join(binDir, 'python3'));
  const kept = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !existsSync(join(dir, '..', 'pyvenv.cfg')));
  return [binDir, ...kept].join(delimiter);
}

async function hasZaws(python: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await run(python, ['-c', 'import zaws'], { env });
    return true;
  } catch {
    return false;
  }
}

/** The Python of the environment the extension made in its global storage, once there. */
async function privatePython(userData: string): Promise<string | undefined> {
  const backend = join(userData, 'User', 'globalStorage', 'zaws.zaws-vscode', 'backend');
  if (!existsSync(backend)) return undefined;
  const made = (await readdir(backend)).filter((name) => !name.includes('.partial-'));
  return made.map((name) => join(backend, name, 'bin', 'python')).find((python) => existsSync(python));
}

function installSteps(wb: Workbench, workspace: string, userData: string, env: NodeJS.ProcessEnv): Step[] {
  const page = wb.page;
  const walkthrough = page.locator('.gettingStartedContainer');
  const step = (title: string) => walkthrough.locator('.getting-started-step', { hasText: title });
  /** Expands the walkthrough step `title` and clicks its button `label`. */
  const clickStepButton = async (title: string, label: string) => {
    await step(title).locator('.step-title').click();
    await step(title).locator('.step-description-container .monaco-button, .step-description-container a', { hasText: label }).first().click();
  };
  return [
    {
      name: "python3 has no zaws, and the Things view's welcome opens the walkthrough",
      async run() {
        expect(!(await hasZaws('python3', env)), 'the code-server\'s python3 must not have zaws');
        await wb.ready();
        await wb.openViewContainer('Zerynth AWS');
        await page.locator('.part.sidebar .welcome-view-content a.monaco-button', { hasText: 'Get Started' }).click();
        await walkthrough.locator('.getting-started-category-title, h2', { hasText: WALKTHROUGH }).first().waitFor();
        await wb.screenshot('walkthrough');
      },
    },
    {
      name: 'step 1, Use the Local Emulator: the setting is on and the step is checked',
      async run() {
        await clickStepButton('Use the local emulator', 'Use the Local Emulator');
        await wb.waitNotification(/now uses the local emulator/);
        const settings = JSON.parse(await readFile(join(userData, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
        expect(settings['zaws.local'] === true, `zaws.local is ${String(settings['zaws.local'])}`);
        await step('Use the local emulator').locator('.codicon-pass-filled, .complete').first().waitFor();
      },
    },
    {
      name: "the extension installs its backend on first use, with progress, into its own environment",
      async run() {
        // The activation starts the server: the wheel's install shows as a progress notification.
        await wb.waitNotification(/installing its Python backend/, 60_000);
        await wb.screenshot('backend-installing');
      },
    },
    {
      name: 'step 2, Create Project from Template: the server runs from what the extension brought',
      async run() {
        await clickStepButton('Create a device project', 'Create Project from Template');
        await wb.answer('Create Project from Template (1/4)', PROJECT);
        // The folder dialog starts in the workspace (the default parent): typing before it has
        // loaded would be overwritten, so wait for it, then accept it.
        await wb.quickInput.locator('.quick-input-title', { hasText: 'Create Project from Template (2/4)' }).waitFor();
        await page.waitForFunction((dir) => document.querySelector<HTMLInputElement>('.quick-input-widget input.input')?.value.replace(/\/$/, '') === dir, workspace);
        await wb.quickInput.locator('.monaco-button', { hasText: 'Select Folder' }).click();
        await wb.answer('Create Project from Template (3/4)', '');
        await wb.answer('Create Project from Template (4/4)', POLICY);
        await wb.waitNotification(`Created project "${PROJECT}".`, INSTALL_TIMEOUT_MS);
        await wb.treeRow(PROJECT).waitFor();
        expect(existsSync(join(workspace, PROJECT, 'thing.conf.json')), 'the project has its thing.conf.json');
        const python = await privatePython(userData);
        expect(python !== undefined, "the extension's own environment exists in its global storage");
        const { stdout } = await run(python!, ['-c', 'import zaws; print(zaws.__file__)']);
        expect(stdout.includes(dirname(dirname(python!))), `zaws is loaded from the extension's environment: ${stdout}`);
        expect(!(await hasZaws('python3', env)), 'python3 still has no zaws: nothing was installed into it');
        await wb.screenshot('project-created');
      },
    },
    {
      name: 'step 3, Create Device Policy: the policy the project names',
      async run() {
        await wb.clearNotifications();
        await clickStepButton('Create the device policy', 'Create Device Policy');
        await wb.answer('Create Device Policy', POLICY);
        await wb.waitNotification(`Created policy ${POLICY}.`);
      },
    },
    {
      name: 'step 4, Add Things: two things in the tree, the first active',
      async run() {
        await wb.clearNotifications();
        await clickStepButton('Add things', 'Add Things');
        await wb.acceptDefault('Add Things (1/3): Keys', KEYS.aws);
        await wb.answer('Add Things (2/3)', '2');
        await wb.answer('Add Things (3/3)', 'sensor');
        await wb.waitNotification(new RegExp(`Added 2 things to ${PROJECT}`));
        await wb.treeRow('sensor_1').waitFor();
        await wb.treeRow('sensor_0').locator('.label-description', { hasText: /active/ }).waitFor();
        await wb.screenshot('things-added');
      },
    },
  ];
}

async function main(): Promise<number> {
  const codeServerBin = required('CODE_SERVER');
  const vsix = resolve(required('ZAWS_VSIX'));
  const artifacts = join(resolve(process.env.ZAWS_ARTIFACTS ?? 'test-artifacts'), 'install');
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  const root = await mkdtemp(join(tmpdir(), 'zaws-install-e2e-'));
  const folders = await makeFolders(root);
  const zawsHome = join(root, 'zaws-home');
  const path = await pathWithOnly(process.env.ZAWS_BASE_PYTHON ?? 'python3', join(root, 'bin'));
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_') || key === 'VIRTUAL_ENV' || key === 'PYTHONPATH') delete process.env[key];
  // pip's cache stays in the temporary folder too.
  const serverEnv = { PATH: path, ZAWS_HOME: zawsHome, PIP_CACHE_DIR: join(root, 'pip-cache'), AWS_EC2_METADATA_DISABLED: 'true' };
  const env: NodeJS.ProcessEnv = { ...process.env, ...serverEnv };
  await writeUserSettings(folders, {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
  });

  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const consoleLines: string[] = [];
  try {
    await installExtension(codeServerBin, folders, vsix);
    server = await startCodeServer(codeServerBin, folders, serverEnv);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folders.workspace)}`);
    const wb = new Workbench(page, artifacts);
    const ok = await runSteps(installSteps(wb, folders.workspace, folders.userData, env), async (step) => {
      await wb.screenshot(`FAILED-${step.name.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 60)}`);
    });
    return ok ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    const python = await privatePython(folders.userData);
    if (python) await run(python, ['-m', 'zaws', 'emulator', 'stop'], { env, timeout: 30_000 }).catch((error: unknown) => console.log(`stopping the emulator: ${String(error)}`));
    await writeFile(join(artifacts, 'browser-console.log'), consoleLines.join('\n'));
    if (server) await writeFile(join(artifacts, 'code-server.log'), server.log.join('\n'));
    await cp(join(folders.userData, 'logs'), join(artifacts, 'vscode-logs'), { recursive: true }).catch(() => undefined);
    if (!process.env.ZAWS_E2E_KEEP) await rm(root, { recursive: true, force: true });
    else console.log(`kept ${root}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
