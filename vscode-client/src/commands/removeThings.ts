/**
 * Remove Thing (a thing's row; with several rows selected, all of them). Steps:
 * 1. ask the server for the plan (`zaws/removeThings` without confirm: nothing is deleted);
 * 2. list it in a modal confirmation: the things deleted in AWS, the ones kept there with the
 *    reason, and that the project will have no active thing when the active one goes;
 * 3. only on "Remove", run the removal under a cancellable progress notification;
 * 4. refresh the project's rows and say what was done.
 */
import type { Deps } from './deps';
import { plural, Problem, summarize, withProgress } from './shared';
import type { RemovalPlan, ThingsRemoved } from '../core/protocol';
import { folderName } from '../core/projects';

export const REMOVE_LABEL = 'Remove';

export function removalText(plan: RemovalPlan): string {
  const lines: string[] = [];
  const deleted = plan.targets.filter((t) => t.thingAction === 'delete').map((t) => t.thingName);
  const certificates = plan.targets.reduce((n, t) => n + t.certArns.length, 0);
  if (deleted.length) lines.push(`Deleted in AWS: ${summarize(deleted, 8)}, with ${plural(certificates, 'certificate', 'certificates')}.`);
  else if (certificates) lines.push(`Deleted in AWS: ${plural(certificates, 'certificate', 'certificates')}.`);
  const kept = plan.targets.filter((t) => t.thingAction === 'keep');
  if (kept.length) {
    lines.push(`Kept in AWS (only this project's certificate is removed from ${kept.length === 1 ? 'it' : 'them'}):`);
    lines.push(...kept.slice(0, 4).map((t) => `  ${t.thingName}: ${t.reason ?? 'not only this project\'s'}`));
    if (kept.length > 4) lines.push(`  … and ${kept.length - 4} more`);
  }
  const gone = plan.targets.filter((t) => t.thingAction === 'gone').map((t) => t.thingName);
  if (gone.length) lines.push(`Already gone from AWS: ${summarize(gone, 8)}.`);
  lines.push(`On disk: the ${plan.targets.length === 1 ? 'folder' : 'folders'} of ${plan.targets.length === 1 ? 'the thing' : 'the things'} in .aws_things_resources.`);
  if (plan.activeThingRemoved) lines.push('The project will have no active thing: make another one active with Set Active.');
  lines.push('', 'This cannot be undone.');
  return lines.join('\n');
}

export function removedText(name: string, done: ThingsRemoved): string {
  const parts = [`Removed ${summarize(done.removed)} from ${name}`];
  if (done.thingsKept.length) parts.push(`${summarize(done.thingsKept.map((k) => k.thingName))} kept in AWS (not only this project's)`);
  if (done.activeThingCleared) parts.push(`${name} has no active thing now`);
  return `${parts.join('; ')}.`;
}

export async function removeThings(deps: Deps, projectUri: string, thingNames: string[]): Promise<ThingsRemoved | undefined> {
  if (thingNames.length === 0) throw new Problem('Select the things to remove in the Zerynth AWS view.');
  const name = folderName(new URL(projectUri).pathname);
  const planned = await deps.api.request('zaws/removeThings', { projectUri, thingNames });
  if (planned.confirmed) throw new Error('the server removed things without confirmation');
  const what = thingNames.length === 1 ? thingNames[0]! : plural(thingNames.length, 'thing', 'things');
  const confirmed = await deps.ui.confirm(`Remove ${what} from ${name}?`, removalText(planned.plan), REMOVE_LABEL);
  if (!confirmed) return undefined;
  const answer = await withProgress(deps, `Removing ${what} from ${name}`, 'zaws/removeThings', { projectUri, thingNames, confirm: true });
  if (!answer.confirmed) throw new Error('the server answered a confirmed removal with a plan');
  deps.views.refresh(projectUri);
  void deps.ui.info(removedText(name, answer.done));
  return answer.done;
}
