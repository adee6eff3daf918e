/**
 * What a command needs from the outside world, as interfaces: prompts, the server, the known
 * projects, the tree, settings. The VS Code implementations live in ../ui.ts, ../server.ts and
 * ../tree; tests pass fakes, so every command's flow is tested without VS Code.
 */
import type { CancellationToken } from 'vscode';
import type { Check } from '../core/validation';
import type { Method, ParamsOf, ResultOf } from '../core/protocol';
import type { ProgressStep, WorkDoneValue } from '../core/progress';
import type { UserError } from '../core/errors';

export interface InputOptions {
  title: string;
  prompt?: string;
  value?: string;
  placeHolder?: string;
  validate?: Check;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface Ui {
  input(options: InputOptions): Promise<string | undefined>;
  pick<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T | undefined>;
  /** A quick pick with check boxes; undefined when dismissed. */
  pickMany<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T[] | undefined>;
  /** Returns a file URI, or undefined when dismissed. */
  pickFolder(options: { title: string; defaultUri?: string }): Promise<string | undefined>;
  pickFile(options: { title: string; defaultUri?: string; filters?: Record<string, string[]> }): Promise<string | undefined>;
  /** A modal warning; true only when the user pressed `confirmLabel`. */
  confirm(message: string, detail: string, confirmLabel: string): Promise<boolean>;
  /** A modal warning with several buttons; the label pressed, or undefined for Cancel. */
  choose(message: string, detail: string, labels: string[]): Promise<string | undefined>;
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  /** Opens a read-only markdown document named `name`. */
  showReport(name: string, markdown: string): Promise<void>;
  showError(error: UserError): Promise<void>;
  /** A progress notification; with a Cancel button (that sets `token`) unless `cancellable` is false. */
  withProgress<R>(title: string, task: (report: (step: ProgressStep) => void, token: CancellationToken) => Promise<R>, options?: { cancellable?: boolean }): Promise<R>;
}

export interface RequestOptions {
  token?: CancellationToken;
  onProgress?: (value: WorkDoneValue) => void;
}

export interface Api {
  request<M extends Method>(method: M, params: ParamsOf<M>, options?: RequestOptions): Promise<ResultOf<M>>;
}

export interface Project {
  uri: string;
  name: string;
}

export interface Projects {
  list(): Promise<Project[]>;
  /** The folder new projects go in by default (the first workspace folder). */
  defaultParent(): string | undefined;
  isInWorkspace(uri: string): boolean;
  addToWorkspace(uri: string): void;
}

export interface Views {
  refresh(projectUri?: string): void;
  /** Fetches a project's FOTA jobs again (the Jobs node). */
  refreshJobs(projectUri: string): void;
  reveal(projectUri: string, thingName?: string): Promise<void>;
  /** Fetches the things' remote status (an AWS call per thing). */
  checkRemote(): Promise<void>;
}

export type SettingKey = 'profile' | 'region' | 'endpointUrl' | 'local' | 'pythonPath';

export interface Host {
  updateSetting(key: SettingKey, value: unknown): Promise<void>;
  awsProfiles(): Promise<string[]>;
  copy(text: string): Promise<void>;
  /** Shows a folder (a file system path) in the Explorer. */
  revealFolder(path: string): Promise<void>;
}

export interface Deps {
  ui: Ui;
  api: Api;
  projects: Projects;
  views: Views;
  host: Host;
}
