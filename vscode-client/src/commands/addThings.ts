/**
 * Add Things. Prompts for who makes the keys (AWS, here, or the devices: a folder of CSRs, see
 * ./keySource), how many (a CSR folder gives one thing per file instead), for keys not AWS's how
 * they are registered (a call per thing or one bulk task, and its bucket), and the base name
 * (required only for a project without things); provisions them under a cancellable progress
 * notification, then reports the names, the keys' source, the CSR files' things and the bulk task
 * with a "Show in Tree" action. The tree refreshes on the server's zaws/thingsChanged.
 */
import type { Deps } from './deps';
import { chooseProject, listThings, required, summarize, withProgress } from './shared';
import { chooseCsrFolder, chooseKeys, chooseRegistration, keyParams, keysText, StepTitles, type Registration } from './keySource';
import * as check from '../core/validation';
import { folderName } from '../core/projects';
import type { ThingsAdded } from '../core/protocol';

const TITLE = 'Add Things';

export async function addThings(deps: Deps, projectUri?: string): Promise<ThingsAdded> {
  const project = await chooseProject(deps, projectUri);
  const existing = await listThings(deps, project);
  const steps = new StepTitles(TITLE, 3);
  const keys = await chooseKeys(deps, steps);
  const csrDir = keys.kind === 'csr' ? await chooseCsrFolder(deps, steps, project) : undefined;
  const count = csrDir ? undefined : Number(required(await deps.ui.input({ title: steps.next(), prompt: 'How many things to create', value: '1', validate: (t) => check.thingCount(t) })).trim());
  const registration: Registration = keys.kind === 'aws' ? { bulk: false } : await chooseRegistration(deps, steps);
  const nextIndex = existing.reduce((next, t) => Math.max(next, (t.index ?? -1) + 1), 0);
  const baseName = required(await deps.ui.input({
    title: steps.next(),
    prompt: existing.length === 0
      ? 'Base name: things are named <base>_0, <base>_1, …'
      : `Base name (empty: keep the project's, next is #${nextIndex})`,
    validate: (t) => check.baseName(t, { required: existing.length === 0, nextIndex, count }),
  }));
  const name = folderName(new URL(project).pathname);
  const what = count === undefined ? 'things from CSRs' : `${count} ${count === 1 ? 'thing' : 'things'}`;
  const added = await withProgress(deps, `Adding ${what} to ${name}`, 'zaws/addThings', {
    projectUri: project,
    ...(count === undefined ? {} : { count }),
    ...(baseName ? { baseName } : {}),
    ...keyParams(keys, registration, csrDir),
  }, count);
  deps.views.refresh(project);
  const n = added.things.length;
  void deps.ui.info(`Added ${n} ${n === 1 ? 'thing' : 'things'} to ${name}${added.resumed ? ' (resumed an unfinished run)' : ''}: ${summarize(added.things)}. ${keysText(keys, added)}`, 'Show in Tree').then((action) => {
    if (action === 'Show in Tree') void deps.views.reveal(project, added.things[0]);
  });
  return added;
}
