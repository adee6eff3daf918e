/**
 * Steps several commands share: choosing the project and the thing to act on, and running a long
 * request under a cancellable progress notification.
 */
import type { Deps, PickItem } from './deps';
import { LONG_METHODS, type Method, type ParamsOf, type ResultOf, type ThingInfo } from '../core/protocol';
import { ProgressTranslator, type WorkDoneValue } from '../core/progress';
import { stoppedText } from '../core/treeModel';

/** Thrown to stop a command quietly (the user dismissed a prompt). */
export class Dismissed extends Error {
  constructor() {
    super('dismissed');
  }
}

/** Thrown for a problem the user can fix that is not the server's (no project, no things). */
export class Problem extends Error {}

export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Dismissed();
  return value;
}

export async function chooseProject(deps: Deps, given?: string): Promise<string> {
  if (given) return given;
  const projects = await deps.projects.list();
  if (projects.length === 0) {
    throw new Problem('No Zerynth AWS project in this workspace: create one with "Zerynth AWS: Create Project from Template".');
  }
  if (projects.length === 1) return projects[0]!.uri;
  const items: PickItem<string>[] = projects.map((p) => ({ label: p.name, description: p.uri, value: p.uri }));
  return required(await deps.ui.pick(items, { title: 'Project', placeHolder: 'Choose a project' }));
}

export async function listThings(deps: Deps, projectUri: string): Promise<ThingInfo[]> {
  return (await deps.api.request('zaws/listThings', { projectUri })).things;
}

export async function chooseThing(deps: Deps, projectUri: string, title: string, options: { preferActive?: boolean } = {}): Promise<ThingInfo> {
  const things = await listThings(deps, projectUri);
  if (things.length === 0) throw new Problem('The project has no things yet: add some with "Zerynth AWS: Add Things".');
  const ordered = options.preferActive ? [...things].sort((a, b) => Number(b.active) - Number(a.active)) : things;
  const items: PickItem<ThingInfo>[] = ordered.map((t) => ({
    label: t.name,
    description: [t.active ? 'active' : undefined, stoppedText(t)].filter(Boolean).join(' · ') || undefined,
    detail: t.certArn || undefined,
    value: t,
  }));
  return required(await deps.ui.pick(items, { title, placeHolder: 'Choose a thing' }));
}

/**
 * Sends a request with a progress notification whose Cancel button cancels the request
 * ($/cancelRequest). Methods that report work-done progress also get a token for their reports.
 */
export async function withProgress<M extends Method>(deps: Deps, title: string, method: M, params: ParamsOf<M>, total?: number): Promise<ResultOf<M>> {
  return deps.ui.withProgress(title, (report, token) => {
    const translator = new ProgressTranslator(total);
    const onProgress = (value: WorkDoneValue) => {
      const step = translator.step(value);
      if (step) report(step);
    };
    return deps.api.request(method, params, LONG_METHODS.includes(method) ? { token, onProgress } : { token });
  });
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summarize(names: string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
