/**
 * The actions on a FOTA job (from its row in the Jobs node, or from the palette with a pick of the
 * project's jobs): Describe (a read-only document), Verify (a notification, details in a document),
 * Cancel (a modal confirmation, with Force for executions in progress) and Delete (a modal).
 */
import type { Deps, PickItem } from './deps';
import { chooseProject, Problem, required, withProgress } from './shared';
import { countsText, isActiveJob, jobDetailsMarkdown, statusText, verificationMarkdown, verificationSummary } from '../core/jobsModel';
import type { FotaJobCancelled, FotaJobDeleted, FotaJobDetails, FotaJobSummary, FotaVerification } from '../core/protocol';

export const CANCEL_LABEL = 'Cancel Job';
export const FORCE_CANCEL_LABEL = 'Force Cancel';
export const DELETE_LABEL = 'Delete';
export const SHOW_DETAILS = 'Show Details';

export interface JobRef {
  projectUri: string;
  job: FotaJobSummary;
}

/** The job a command acts on: the row it came from, else a pick of the project's jobs. */
export async function chooseJob(deps: Deps, given: JobRef | undefined, title: string): Promise<JobRef> {
  if (given) return given;
  const project = await chooseProject(deps);
  const { jobs } = await deps.api.request('zaws/listFotaJobs', { projectUri: project });
  if (jobs.length === 0) throw new Problem('No FOTA job was started from this project: start one with "Zerynth AWS: Start FOTA Update".');
  const items: PickItem<FotaJobSummary>[] = [...jobs].sort((a, b) => b.startedAt - a.startedAt).map((job) => ({
    label: job.jobId,
    description: [statusText(job.status), countsText(job.counts)].filter(Boolean).join(' · '),
    value: job,
  }));
  return { projectUri: project, job: required(await deps.ui.pick(items, { title, placeHolder: 'Choose a FOTA job' })) };
}

export async function describeJob(deps: Deps, given?: JobRef): Promise<FotaJobDetails> {
  const { job } = await chooseJob(deps, given, 'Describe FOTA Job');
  const details = await withProgress(deps, `Reading FOTA job ${job.jobId}`, 'zaws/describeFotaJob', { jobId: job.jobId });
  await deps.ui.showReport(`${job.jobId}.md`, jobDetailsMarkdown(details));
  return details;
}

export async function verifyJob(deps: Deps, given?: JobRef): Promise<FotaVerification> {
  const { projectUri, job } = await chooseJob(deps, given, 'Verify FOTA Job');
  const verification = await withProgress(deps, `Verifying FOTA job ${job.jobId}`, 'zaws/verifyFota', { jobId: job.jobId, projectUri });
  const text = `FOTA job ${job.jobId}: ${verificationSummary(verification)}`;
  const shown = verification.ok ? deps.ui.info(text, SHOW_DETAILS) : deps.ui.warn(text, SHOW_DETAILS);
  void shown.then((action) => (action === SHOW_DETAILS ? deps.ui.showReport(`verification-${job.jobId}.md`, verificationMarkdown(verification)) : undefined));
  return verification;
}

export async function cancelJob(deps: Deps, given?: JobRef): Promise<FotaJobCancelled | undefined> {
  const { projectUri, job } = await chooseJob(deps, given, 'Cancel FOTA Job');
  const details = await deps.api.request('zaws/describeFotaJob', { jobId: job.jobId });
  if (!isActiveJob(details.status)) throw new Problem(`FOTA job ${job.jobId} is ${statusText(details.status)}: nothing to cancel.`);
  const running = details.counts.inProgress ?? 0;
  const counts = countsText(details.counts);
  const detail = [
    `Executions: ${counts || 'none yet'}.`,
    'Cancel Job: things that have not started the update will not get it.',
    running
      ? `Force Cancel: also stops the ${running} ${running === 1 ? 'execution' : 'executions'} in progress (a device may be left mid-update).`
      : undefined,
  ].filter(Boolean).join('\n');
  const labels = running ? [CANCEL_LABEL, FORCE_CANCEL_LABEL] : [CANCEL_LABEL];
  const choice = await deps.ui.choose(`Cancel FOTA job ${job.jobId}?`, detail, labels);
  if (!choice) return undefined;
  const force = choice === FORCE_CANCEL_LABEL;
  const cancelled = await withProgress(deps, `Cancelling FOTA job ${job.jobId}`, 'zaws/cancelFotaJob', force ? { jobId: job.jobId, force: true, confirm: true } : { jobId: job.jobId, confirm: true });
  deps.views.refreshJobs(projectUri);
  const left = cancelled.leftRunning ? ` ${cancelled.leftRunning} ${cancelled.leftRunning === 1 ? 'execution' : 'executions'} in progress left running.` : '';
  void deps.ui.info(`FOTA job ${job.jobId} ${statusText(cancelled.status)}.${left}`);
  return cancelled;
}

export async function deleteJob(deps: Deps, given?: JobRef): Promise<FotaJobDeleted | undefined> {
  const { projectUri, job } = await chooseJob(deps, given, 'Delete FOTA Job');
  const running = isActiveJob(job.status);
  const detail = running
    ? 'The job is still in progress: deleting it stops every execution, including those in progress. It cannot be undone.'
    : 'AWS forgets the job and its executions, and the project no longer lists it. It cannot be undone.';
  const confirmed = await deps.ui.confirm(`Delete FOTA job ${job.jobId}?`, detail, DELETE_LABEL);
  if (!confirmed) return undefined;
  const deleted = await withProgress(deps, `Deleting FOTA job ${job.jobId}`, 'zaws/deleteFotaJob', running ? { jobId: job.jobId, projectUri, force: true, confirm: true } : { jobId: job.jobId, projectUri, confirm: true });
  deps.views.refreshJobs(projectUri);
  void deps.ui.info(deleted.existed ? `Deleted FOTA job ${job.jobId}.` : `FOTA job ${job.jobId} was already gone from AWS; the project no longer lists it.`);
  return deleted;
}
