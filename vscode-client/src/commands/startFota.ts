/**
 * Start FOTA Update. Prompts for the thing (the active one first), the firmware JSON written by
 * the toolchain's link step, the S3 bucket, the IAM role AWS IoT uses to presign the download and the
 * URL lifetime (60-3600 s); the server uploads the firmware and creates the job.
 */
import type { Deps } from './deps';
import { chooseProject, chooseThing, required, withProgress } from './shared';
import * as check from '../core/validation';
import type { FotaStarted } from '../core/protocol';

const TITLE = 'Start FOTA Update';

export async function startFota(deps: Deps, projectUri?: string, thingName?: string): Promise<FotaStarted> {
  const project = await chooseProject(deps, projectUri);
  const thing = thingName ?? (await chooseThing(deps, project, `${TITLE} (1/5): target thing`, { preferActive: true })).name;
  const firmwareUri = required(await deps.ui.pickFile({ title: `${TITLE} (2/5): firmware JSON (from link -J)`, defaultUri: project, filters: { 'Firmware JSON': ['json'] } }));
  const bucket = required(await deps.ui.input({ title: `${TITLE} (3/5)`, prompt: 'S3 bucket for the firmware and the job document', validate: check.bucketName }));
  const role = required(await deps.ui.input({ title: `${TITLE} (4/5)`, prompt: 'IAM role (name or ARN) that lets AWS IoT read the bucket', validate: check.roleName }));
  const durationText = required(await deps.ui.input({ title: `${TITLE} (5/5)`, prompt: 'Lifetime of the presigned download URL, in seconds (60-3600)', value: '3600', validate: check.fotaDuration }));
  const started = await withProgress(deps, `Starting FOTA on ${thing}`, 'zaws/startFota', {
    projectUri: project,
    thingName: thing,
    firmwareUri,
    bucket,
    role,
    duration: Number(durationText.trim()),
  });
  void deps.ui.info(`FOTA job ${started.jobId} created for ${thing}.`);
  return started;
}
