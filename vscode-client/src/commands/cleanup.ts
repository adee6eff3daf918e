/**
 * Clean Up Project. Asks the server for the plan (nothing is deleted without `confirm: true`), lists
 * it in a modal confirmation, and only on "Delete" runs the cleanup under a cancellable progress
 * notification.
 */
import type { Deps } from './deps';
import { chooseProject, plural, Problem, summarize, withProgress } from './shared';
import type { CleanupDone, CleanupPlan } from '../core/protocol';
import { folderName } from '../core/projects';

export const CONFIRM_LABEL = 'Delete';

/** `/ws/blink/.zawsconf` as `.zawsconf`: the dialog names the project already. */
function relativeTo(project: string, path: string): string {
  const prefix = project.endsWith('/') ? project : `${project}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

export function planText(plan: CleanupPlan, maxLines = 12): string {
  const lines: string[] = [];
  if (plan.targets.length) {
    const names = plan.targets.filter((t) => t.thingAction === 'delete').map((t) => t.thingName);
    const certificates = plan.targets.reduce((n, t) => n + t.certArns.length, 0);
    lines.push(`In AWS: ${plural(names.length, 'thing', 'things')}${names.length ? ` (${summarize(names, 8)})` : ''} and ${plural(certificates, 'certificate', 'certificates')}.`);
    const unrecorded = plan.targets.filter((t) => !t.recorded).length;
    if (unrecorded) lines.push(`(${unrecorded} of them from an unfinished Add Things run.)`);
    const kept = plan.targets.filter((t) => t.thingAction === 'keep');
    if (kept.length) {
      lines.push(`Kept in AWS (only this project's certificates are removed): ${plural(kept.length, 'thing', 'things')}`);
      lines.push(...kept.slice(0, 4).map((t) => `  ${t.thingName}: ${t.reason ?? ''}`));
      if (kept.length > 4) lines.push(`  … and ${kept.length - 4} more`);
    }
  }
  if (plan.certificatesToReview.length) {
    lines.push(`${plural(plan.certificatesToReview.length, 'certificate', 'certificates')} may have lost its key in an interrupted Add Things: not deleted; review with \`zaws orphan-certificates\`.`);
  }
  if (plan.localPaths.length) {
    lines.push('On disk:');
    const shown = plan.localPaths.slice(0, maxLines);
    lines.push(...shown.map((p) => `  ${relativeTo(plan.project, p)}`));
    if (plan.localPaths.length > shown.length) lines.push(`  … and ${plan.localPaths.length - shown.length} more`);
  }
  return lines.join('\n');
}

export async function cleanup(deps: Deps, projectUri?: string): Promise<CleanupDone | undefined> {
  const project = await chooseProject(deps, projectUri);
  const name = folderName(new URL(project).pathname);
  const planned = await deps.api.request('zaws/cleanup', { projectUri: project });
  if (planned.confirmed) throw new Error('the server deleted without confirmation');
  const plan = planned.plan;
  if (plan.targets.length === 0 && plan.localPaths.length === 0) {
    throw new Problem(`Nothing to clean up in ${name}.`);
  }
  const confirmed = await deps.ui.confirm(`Clean up project ${name}? This deletes things and certificates in AWS and their files on disk. It cannot be undone.`, planText(plan), CONFIRM_LABEL);
  if (!confirmed) return undefined;
  const answer = await withProgress(deps, `Cleaning up ${name}`, 'zaws/cleanup', { projectUri: project, confirm: true });
  if (!answer.confirmed) throw new Error('the server answered a confirmed cleanup with a plan');
  deps.views.refresh(project);
  const kept = answer.done.thingsKept.length ? `; kept ${plural(answer.done.thingsKept.length, 'thing', 'things')} that ${answer.done.thingsKept.length === 1 ? 'is' : 'are'} not only this project's` : '';
  void deps.ui.info(`Cleaned up ${name}: deleted ${plural(answer.done.thingsDeleted.length, 'thing', 'things')} and ${plural(answer.done.certificatesDeleted, 'certificate', 'certificates')}${kept}.`);
  return answer.done;
}
