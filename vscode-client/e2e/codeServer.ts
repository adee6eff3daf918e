/**
 * A code-server (VS Code 1.100 served to a browser) for one test run: isolated user-data,
 * extensions and XDG folders, our .vsix installed, bound to 127.0.0.1 on a free port, in its own
 * process group so stopping it also stops the extension host and the language server it spawned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Folders {
  root: string;
  userData: string;
  extensions: string;
  xdg: string;
  workspace: string;
}

export async function makeFolders(root: string): Promise<Folders> {
  const folders = { root, userData: join(root, 'user-data'), extensions: join(root, 'extensions'), xdg: join(root, 'xdg'), workspace: join(root, 'workspace') };
  for (const dir of Object.values(folders)) await mkdir(dir, { recursive: true });
  return folders;
}

export async function writeUserSettings(folders: Folders, settings: Record<string, unknown>): Promise<void> {
  const dir = join(folders.userData, 'User');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

function baseEnv(folders: Folders, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CONFIG_HOME: join(folders.xdg, 'config'), XDG_DATA_HOME: join(folders.xdg, 'data'), ...extra };
}

function commonArgs(folders: Folders): string[] {
  return ['--user-data-dir', folders.userData, '--extensions-dir', folders.extensions];
}

async function exitOf(child: ChildProcess): Promise<number> {
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return code ?? (signal ? 128 : 1);
}

export async function installExtension(bin: string, folders: Folders, vsix: string): Promise<void> {
  const child = spawn(bin, [...commonArgs(folders), '--install-extension', vsix], { env: baseEnv(folders, {}), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await exitOf(child);
  if (code !== 0 || !/successfully installed/i.test(output)) throw new Error(`installing ${vsix} failed (exit ${code}):\n${output}`);
}

export interface RunningCodeServer {
  url: string;
  log: string[];
  stop(): Promise<void>;
}

export async function startCodeServer(bin: string, folders: Folders, env: Record<string, string>): Promise<RunningCodeServer> {
  const args = ['--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', ...commonArgs(folders), folders.workspace];
  const child = spawn(bin, args, { env: baseEnv(folders, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const exited = exitOf(child);
  const url = await new Promise<string>((resolve, reject) => {
    const onLine = (line: string) => {
      log.push(line);
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    void exited.then((code) => reject(new Error(`code-server exited (${code}) before listening:\n${log.join('\n')}`)));
  });
  await waitHealthy(url);
  return {
    url,
    log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      // The extension host and the language server are in the group too.
      killGroup(child.pid!, 'SIGKILL');
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** code-server answers /healthz once it serves; a readiness probe, polled a few times. */
async function waitHealthy(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${url}/healthz did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
