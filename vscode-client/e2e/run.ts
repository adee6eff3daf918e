/**
 * End-to-end test driver: installs the built .vsix into a fresh code-server, opens an empty
 * workspace in Debian's Chromium through playwright-core, runs the scenario, and saves screenshots
 * and logs to test-artifacts/. The language server runs on the embedded emulator (ZAWS_LOCAL=1,
 * a temporary ZAWS_HOME), which is stopped at the end. AWS sees only a temporary config file with
 * one profile and no credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE): the profile step
 * never reads real credentials, and nothing can reach AWS.
 *
 * Env: ZAWS_PYTHON (interpreter with zaws), CODE_SERVER (its bin), ZAWS_VSIX, ZAWS_ARTIFACTS.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { installExtension, makeFolders, startCodeServer, writeUserSettings, type RunningCodeServer } from './codeServer';
import { AWS_PROFILE, scenario, startFleetRecords } from './scenario';
import { runSteps } from './steps';
import { Workbench } from './workbench';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

async function main(): Promise<number> {
  const python = required('ZAWS_PYTHON');
  const codeServerBin = required('CODE_SERVER');
  const vsix = resolve(required('ZAWS_VSIX'));
  const artifacts = resolve(process.env.ZAWS_ARTIFACTS ?? 'test-artifacts');
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });

  const root = await mkdtemp(join(tmpdir(), 'zaws-e2e-'));
  const folders = await makeFolders(root);
  // The 1,000-thing project's records take seconds of file writes: made outside the workspace
  // while code-server starts, awaited by the step that needs them.
  const fleet = startFleetRecords(python, join(root, 'fleet-records'));
  const zawsHome = join(root, 'zaws-home');
  const awsEnv = await fakeAwsFiles(join(root, 'aws'));
  await writeUserSettings(folders, {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'zaws.pythonPath': python,
    'zaws.local': true,
    'files.autoSave': 'off',
    // Typed JSON must arrive as typed: no auto-closing or suggestions.
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoIndent': 'none',
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    'editor.suggestOnTriggerCharacters': false,
    'editor.acceptSuggestionOnEnter': 'off',
    'editor.hover.enabled': false,
  });

  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const consoleLines: string[] = [];
  try {
    await installExtension(codeServerBin, folders, vsix);
    server = await startCodeServer(codeServerBin, folders, { ZAWS_LOCAL: '1', ZAWS_HOME: zawsHome, ...awsEnv });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folders.workspace)}`);
    const wb = new Workbench(page, artifacts);
    const ok = await runSteps(scenario(wb, folders.workspace, join(folders.userData, 'User', 'settings.json'), fleet), async (step) => {
      await wb.screenshot(`FAILED-${step.name.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 60)}`);
    });
    return ok ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await stopEmulator(python, zawsHome);
    await writeFile(join(artifacts, 'browser-console.log'), consoleLines.join('\n'));
    if (server) await writeFile(join(artifacts, 'code-server.log'), server.log.join('\n'));
    await copyLogs(folders.userData, join(artifacts, 'vscode-logs'));
    if (!process.env.ZAWS_E2E_KEEP) await rm(root, { recursive: true, force: true });
    else console.log(`kept ${root}`);
  }
}

/**
 * An AWS config file with the e2e's profile (a region, no credentials) and an empty credentials
 * file, as the environment that points at them; AWS_* variables of this process (a real profile,
 * keys) are dropped, and instance metadata is off, so boto3 finds no credentials at all.
 */
async function fakeAwsFiles(dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  await writeFile(config, `[profile ${AWS_PROFILE}]\nregion = eu-west-1\n`);
  await writeFile(credentials, '# none: the e2e never reaches AWS\n');
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true' };
}

async function stopEmulator(python: string, zawsHome: string): Promise<void> {
  try {
    await promisify(execFile)(python, ['-m', 'zaws', 'emulator', 'stop'], { env: { ...process.env, ZAWS_HOME: zawsHome, ZAWS_LOCAL: '1' }, timeout: 30_000 });
  } catch (error) {
    console.log(`stopping the emulator: ${String(error)}`);
  }
}

/** The extension host's and the output channels' logs, for reading after a failure. */
async function copyLogs(userData: string, target: string): Promise<void> {
  try {
    await readdir(join(userData, 'logs'));
    await cp(join(userData, 'logs'), target, { recursive: true });
  } catch {
    // no logs written
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
