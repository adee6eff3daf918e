/**
 * Starts and stops the zaws language server (`<python> -m zaws serve` over stdio) and is the
 * commands' `Api`: typed requests with optional work-done progress and cancellation. Before
 * starting, backend.ts picks the Python that runs it (the chosen interpreter's zaws, or the one the
 * extension brings, installed on first use) and says
 * how to fix it.
 */
import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  State,
  WorkDoneProgress,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { Api, RequestOptions } from './commands/deps';
import { SERVER_ARGS, type Interpreter } from './core/interpreter';
import { backendPython } from './backend';
import type { BackendPlace } from './privateBackend';
import { ServerUnavailable } from './core/errors';
import { PROJECT_GLOB } from './core/projects';
import { FOTA_JOBS_CHANGED, THINGS_CHANGED, type FotaJobsChangedParams, type Method, type ParamsOf, type ResultOf, type ThingsChangedParams } from './core/protocol';
import { configurationChange } from './core/settings';
import { findInterpreter } from './python';
import { serverSettings } from './settings';
import type { WorkDoneValue } from './core/progress';

export class ZawsServer implements Api, vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  /** More server -> client notifications (the devices' and subscriptions'), registered on every start. */
  private readonly listeners: [string, (params: unknown) => void][] = [];
  /** Called when a server process was stopped: what it ran (devices, subscriptions) is gone. */
  private readonly stoppedHandlers: (() => void)[] = [];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly notifications: { thingsChanged: (projectUri: string) => void; fotaJobsChanged: (projectUri: string) => void },
    private readonly place: BackendPlace,
  ) {}

  /** The running client, starting it on first use. A failed start is retried on the next call. */
  ensureStarted(): Promise<LanguageClient> {
    if (!this.starting) {
      this.starting = this.start().catch((error: unknown) => {
        this.starting = undefined;
        throw error;
      });
    }
    return this.starting;
  }

  /** Handles notification `method` from every server process started from now on. */
  onNotification<P>(method: string, handler: (params: P) => void): void {
    this.listeners.push([method, (params: unknown) => handler(params as P)]);
  }

  onStopped(handler: () => void): void {
    this.stoppedHandlers.push(handler);
  }

  async request<M extends Method>(method: M, params: ParamsOf<M>, options: RequestOptions = {}): Promise<ResultOf<M>> {
    const client = await this.ensureStarted();
    let progress: vscode.Disposable | undefined;
    let sent: ParamsOf<M> = params;
    if (options.onProgress) {
      const workDoneToken = randomUUID();
      const onProgress = options.onProgress;
      progress = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => onProgress(value as WorkDoneValue));
      sent = { ...params, workDoneToken };
    }
    this.log.debug(`-> ${method} ${JSON.stringify(sent)}`);
    try {
      // An explicit `undefined` token would be sent as a second, positional param.
      const result = options.token
        ? await client.sendRequest<ResultOf<M>>(method, sent, options.token)
        : await client.sendRequest<ResultOf<M>>(method, sent);
      this.log.debug(`<- ${method} ${JSON.stringify(result)}`);
      return result;
    } catch (error) {
      this.log.warn(`<- ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      progress?.dispose();
    }
  }

  /** Sends the current settings (after a change of profile, region, endpoint or local mode). */
  async pushSettings(): Promise<void> {
    if (!this.client?.isRunning()) return;
    await this.client.sendNotification(DidChangeConfigurationNotification.type, configurationChange(serverSettings()));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.ensureStarted();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client) await client.dispose().catch((error: unknown) => this.log.warn(`stopping the server: ${String(error)}`));
    if (client) for (const handler of this.stoppedHandlers) handler();
  }

  dispose(): void {
    void this.stop();
  }

  private async start(): Promise<LanguageClient> {
    const interpreter = await findInterpreter();
    const python = await backendPython(interpreter, this.place, this.log);
    const client = new LanguageClient('zaws', 'Zerynth AWS', this.serverOptions(python, interpreter), this.clientOptions());
    client.onNotification(THINGS_CHANGED, (params: ThingsChangedParams) => this.notifications.thingsChanged(params.projectUri));
    client.onNotification(FOTA_JOBS_CHANGED, (params: FotaJobsChangedParams) => this.notifications.fotaJobsChanged(params.projectUri));
    for (const [method, handler] of this.listeners) client.onNotification(method, handler);
    // A server process that exits on its own (and is restarted by the client) takes its devices along.
    client.onDidChangeState((change) => {
      if (change.oldState === State.Running && change.newState === State.Stopped && this.client === client) for (const handler of this.stoppedHandlers) handler();
    });
    try {
      await client.start();
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw new ServerUnavailable(`Zerynth AWS: the server (${python} ${SERVER_ARGS.join(' ')}) did not start: ${error instanceof Error ? error.message : String(error)}. See the log.`);
    }
    this.log.info('server started');
    this.client = client;
    return client;
  }

  private serverOptions(python: string, interpreter: Interpreter): ServerOptions {
    const from = python === interpreter.command ? `interpreter from ${interpreter.source}` : `the extension's own environment, made with ${interpreter.command}`;
    this.log.info(`starting the server: ${python} ${SERVER_ARGS.join(' ')} (${from})`);
    return { command: python, args: [...SERVER_ARGS], options: { env: process.env } };
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: [{ scheme: 'file', pattern: PROJECT_GLOB }],
      outputChannel: this.log,
      initializationOptions: serverSettings(),
      // The server decides when a start failure is final; do not loop on a broken interpreter.
      initializationFailedHandler: () => false,
    };
  }
}
