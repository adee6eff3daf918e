/**
 * Fakes for the commands' Deps: a Ui that answers prompts from a script (and records what it was
 * asked, running each input's validator on the scripted answer as VS Code would), and an Api that
 * records requests and answers from a table. Tests read like a user session.
 */
import type { CancellationToken } from 'vscode';
import type { Api, Deps, Host, InputOptions, PickItem, Project, Projects, RequestOptions, SettingKey, Ui, Views } from '../../src/commands/deps';
import type { UserError } from '../../src/core/errors';
import type { ProgressStep } from '../../src/core/progress';
import type { Method, ParamsOf, ResultOf } from '../../src/core/protocol';

export type Answer = string | undefined | ((items: PickItem<unknown>[]) => unknown);

export interface Sent {
  method: Method;
  params: unknown;
  /** A cancellation token came with the request. */
  hadToken: boolean;
  /** Progress was asked for: the real Api adds a workDoneToken param. */
  hadProgress: boolean;
}

export class ScriptedUi implements Ui {
  readonly asked: string[] = [];
  readonly infos: string[] = [];
  readonly errors: UserError[] = [];
  readonly confirmations: { message: string; detail: string }[] = [];
  readonly choices: { message: string; detail: string; labels: string[] }[] = [];
  readonly warnings: string[] = [];
  readonly reports: { name: string; markdown: string }[] = [];
  /** Which button a modal with several buttons gets (undefined: dismissed). */
  chooseAnswer: (labels: string[]) => string | undefined = (labels) => labels[0];
  readonly progressTitles: string[] = [];
  readonly progressSteps: ProgressStep[] = [];
  confirmAnswer = true;
  infoAction: string | undefined;
  cancelToken: CancellationToken = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

  constructor(private readonly answers: Answer[]) {}

  private next(title: string): Answer {
    this.asked.push(title);
    if (this.answers.length === 0) throw new Error(`unexpected prompt: ${title}`);
    return this.answers.shift();
  }

  input(options: InputOptions): Promise<string | undefined> {
    const answer = this.next(options.title);
    if (typeof answer === 'string' && options.validate) {
      const problem = options.validate(answer);
      if (problem) throw new Error(`scripted answer "${answer}" for "${options.title}" is invalid: ${problem}`);
    }
    return Promise.resolve(answer as string | undefined);
  }

  pick<T>(items: PickItem<T>[], options: { title: string }): Promise<T | undefined> {
    const answer = this.next(options.title);
    if (typeof answer === 'function') return Promise.resolve(answer(items as PickItem<unknown>[]) as T | undefined);
    if (answer === undefined) return Promise.resolve(undefined);
    const item = items.find((i) => i.label === answer);
    if (!item) throw new Error(`no item "${answer}" in ${items.map((i) => i.label).join(', ')}`);
    return Promise.resolve(item.value);
  }

  pickMany<T>(items: PickItem<T>[], options: { title: string }): Promise<T[] | undefined> {
    const answer = this.next(options.title);
    if (typeof answer === 'function') return Promise.resolve(answer(items as PickItem<unknown>[]) as T[] | undefined);
    if (answer === undefined) return Promise.resolve(undefined);
    const labels = answer.split(',');
    return Promise.resolve(items.filter((i) => labels.includes(i.label)).map((i) => i.value));
  }

  pickFolder(options: { title: string }): Promise<string | undefined> {
    return Promise.resolve(this.next(options.title) as string | undefined);
  }

  pickFile(options: { title: string }): Promise<string | undefined> {
    return Promise.resolve(this.next(options.title) as string | undefined);
  }

  confirm(message: string, detail: string): Promise<boolean> {
    this.confirmations.push({ message, detail });
    return Promise.resolve(this.confirmAnswer);
  }

  choose(message: string, detail: string, labels: string[]): Promise<string | undefined> {
    this.choices.push({ message, detail, labels });
    return Promise.resolve(this.chooseAnswer(labels));
  }

  info(message: string): Promise<string | undefined> {
    this.infos.push(message);
    return Promise.resolve(this.infoAction);
  }

  warn(message: string): Promise<string | undefined> {
    this.warnings.push(message);
    return Promise.resolve(this.infoAction);
  }

  showReport(name: string, markdown: string): Promise<void> {
    this.reports.push({ name, markdown });
    return Promise.resolve();
  }

  showError(error: UserError): Promise<void> {
    this.errors.push(error);
    return Promise.resolve();
  }

  withProgress<R>(title: string, task: (report: (step: ProgressStep) => void, token: CancellationToken) => Promise<R>): Promise<R> {
    this.progressTitles.push(title);
    return task((step) => this.progressSteps.push(step), this.cancelToken);
  }

  get unused(): number {
    return this.answers.length;
  }
}

type Responder = { [M in Method]?: (params: ParamsOf<M>, options: RequestOptions) => ResultOf<M> | Promise<ResultOf<M>> };

export class FakeApi implements Api {
  readonly sent: Sent[] = [];

  constructor(private readonly responders: Responder) {}

  async request<M extends Method>(method: M, params: ParamsOf<M>, options: RequestOptions = {}): Promise<ResultOf<M>> {
    this.sent.push({ method, params, hadToken: options.token !== undefined, hadProgress: options.onProgress !== undefined });
    const responder = this.responders[method];
    if (!responder) throw new Error(`no fake answer for ${method}`);
    return responder(params, options);
  }
}

export class FakeProjects implements Projects {
  readonly added: string[] = [];
  constructor(private readonly projects: Project[], private readonly workspace = 'file:///ws') {}
  list(): Promise<Project[]> {
    return Promise.resolve(this.projects);
  }
  defaultParent(): string {
    return this.workspace;
  }
  isInWorkspace(uri: string): boolean {
    return uri.startsWith(`${this.workspace}/`);
  }
  addToWorkspace(uri: string): void {
    this.added.push(uri);
  }
}

export class FakeViews implements Views {
  readonly refreshed: (string | undefined)[] = [];
  readonly revealed: { projectUri: string; thingName?: string }[] = [];
  readonly jobsRefreshed: string[] = [];
  refresh(projectUri?: string): void {
    this.refreshed.push(projectUri);
  }
  refreshJobs(projectUri: string): void {
    this.jobsRefreshed.push(projectUri);
  }
  reveal(projectUri: string, thingName?: string): Promise<void> {
    this.revealed.push({ projectUri, thingName });
    return Promise.resolve();
  }
  remoteChecks = 0;
  checkRemote(): Promise<void> {
    this.remoteChecks += 1;
    return Promise.resolve();
  }
}

export class FakeHost implements Host {
  readonly settings = new Map<SettingKey, unknown>();
  readonly copied: string[] = [];
  readonly revealedFolders: string[] = [];
  constructor(private readonly profiles: string[] = []) {}
  updateSetting(key: SettingKey, value: unknown): Promise<void> {
    this.settings.set(key, value);
    return Promise.resolve();
  }
  awsProfiles(): Promise<string[]> {
    return Promise.resolve(this.profiles);
  }
  copy(text: string): Promise<void> {
    this.copied.push(text);
    return Promise.resolve();
  }
  revealFolder(uri: string): Promise<void> {
    this.revealedFolders.push(uri);
    return Promise.resolve();
  }
}

export function fakeDeps(parts: { answers?: Answer[]; responders?: Responder; projects?: Project[]; profiles?: string[] }) {
  const ui = new ScriptedUi(parts.answers ?? []);
  const api = new FakeApi(parts.responders ?? {});
  const projects = new FakeProjects(parts.projects ?? [{ uri: 'file:///ws/blink', name: 'blink' }]);
  const views = new FakeViews();
  const host = new FakeHost(parts.profiles);
  const deps: Deps = { ui, api, projects, views, host };
  return { deps, ui, api, projects, views, host };
}

/** Lets the `void promise.then(...)` chains in commands (notification actions) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
