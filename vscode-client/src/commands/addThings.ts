/**
 * Add Things. Prompts for how many and the base name (required only for a project without things),
 * provisions them under a cancellable progress notification, then reports the names with a
 * "Show in Tree" action. The tree refreshes on the server's zaws/thingsChanged.
 */
import type { Deps } from './deps';
import { chooseProject, listThings, required, summarize, withProgress } from './shared';
import * as check from '../core/validation';
import { folderName } from '../core/projects';
import type { ThingsAdded } from '../core/protocol';

const TITLE = 'Add Things';

export async function addThings(deps: Deps, projectUri?: string): Promise<ThingsAdded> {
  const project = await chooseProject(deps, projectUri);
  const existing = await listThings(deps, project);
  const countText = required(await deps.ui.input({ title: `${TITLE} (1/2)`, prompt: 'How many things to create', value: '1', validate: (t) => check.thingCount(t) }));
  const count = Number(countText.trim());
  const nextIndex = existing.reduce((next, t) => Math.max(next, (t.index ?? -1) + 1), 0);
  const baseName = required(await deps.ui.input({
    title: `${TITLE} (2/2)`,
    prompt: existing.length === 0
      ? 'Base name: things are named <base>_0, <base>_1, …'
      : `Base name (empty: keep the project's, next is #${nextIndex})`,
    validate: (t) => check.baseName(t, { required: existing.length === 0, nextIndex, count }),
  }));
  const name = folderName(new URL(project).pathname);
  const added = await withProgress(deps, `Adding ${count} ${count === 1 ? 'thing' : 'things'} to ${name}`, 'zaws/addThings', {
    projectUri: project,
    count,
    ...(baseName ? { baseName } : {}),
  }, count);
  deps.views.refresh(project);
  void deps.ui.info(`Added ${added.things.length} ${added.things.length === 1 ? 'thing' : 'things'} to ${name}${added.resumed ? ' (resumed an unfinished run)' : ''}: ${summarize(added.things)}.`, 'Show in Tree').then((action) => {
    if (action === 'Show in Tree') void deps.views.reveal(project, added.things[0]);
  });
  return added;
}
