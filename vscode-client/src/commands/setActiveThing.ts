/**
 * Set Active Thing. Picks a thing (unless the tree or a code lens named one) and makes it the one
 * the device firmware uses: the server copies its certificate and key to the project top level.
 */
import type { Deps } from './deps';
import { chooseProject, chooseThing } from './shared';
import type { ActiveThing } from '../core/protocol';

export async function setActiveThing(deps: Deps, projectUri?: string, thingName?: string): Promise<ActiveThing> {
  const project = await chooseProject(deps, projectUri);
  const name = thingName ?? (await chooseThing(deps, project, 'Set Active Thing')).name;
  const active = await deps.api.request('zaws/setActiveThing', { projectUri: project, thingName: name });
  deps.views.refresh(project);
  void deps.ui.info(`Active thing: ${active.thingName}.`);
  return active;
}
