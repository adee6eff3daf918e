/**
 * Start FOTA Update. Prompts for the target (the thing the command came from, several things, or
 * every thing of the project), the firmware JSON written by the toolchain's link step, the S3 bucket,
 * the IAM role AWS IoT uses to presign the download, the URL lifetime (60-3600 s) and, for several
 * things, an optional rollout rate; the server uploads the firmware, creates the job and verifies it,
 * and the verification result is shown.
 */
import type { Deps, PickItem } from './deps';
import { chooseProject, chooseThing, listThings, Problem, required, withProgress } from './shared';
import { fotaDefaults } from './fotaSetup';
import * as check from '../core/validation';
import { verificationMarkdown, verificationSummary } from '../core/jobsModel';
import type { FotaStarted, StartFotaParams } from '../core/protocol';

const TITLE = 'Start FOTA Update';
export const SHOW_VERIFICATION = 'Show Verification';
export const SHOW_JOBS = 'Show Jobs';

type Target = { thingName: string } | { thingNames: string[] } | { allThings: true };
type TargetChoice = 'this' | 'one' | 'many' | 'all';

async function chooseTarget(deps: Deps, project: string, thingName: string | undefined): Promise<{ target: Target; count: number }> {
  const things = await listThings(deps, project);
  if (things.length === 0 && !thingName) throw new Problem('The project has no things yet: add some with "Zerynth AWS: Add Things".');
  const items: PickItem<TargetChoice>[] = [
    thingName
      ? { label: 'This thing', description: thingName, value: 'this' }
      : { label: 'One thing…', description: 'choose it from the list', value: 'one' },
    { label: 'Choose things…', description: 'several things of the project', value: 'many' },
    { label: 'All things of the project', description: `${things.length} ${things.length === 1 ? 'thing' : 'things'}`, value: 'all' },
  ];
  const choice = required(await deps.ui.pick(items, { title: `${TITLE}: target`, placeHolder: 'Which things get the new firmware?' }));
  switch (choice) {
    case 'this':
      return { target: { thingName: thingName! }, count: 1 };
    case 'one':
      return { target: { thingName: (await chooseThing(deps, project, `${TITLE}: target thing`, { preferActive: true })).name }, count: 1 };
    case 'many': {
      const picked = required(await deps.ui.pickMany(things.map((t) => ({ label: t.name, description: t.active ? 'active' : undefined, value: t.name })), { title: `${TITLE}: target things`, placeHolder: 'Check the things to update' }));
      if (picked.length === 0) throw new Problem('No thing chosen: nothing to update.');
      return picked.length === 1 ? { target: { thingName: picked[0]! }, count: 1 } : { target: { thingNames: picked }, count: picked.length };
    }
    case 'all':
      if (things.length === 0) throw new Problem('The project has no things yet: add some with "Zerynth AWS: Add Things".');
      return { target: { allThings: true }, count: things.length };
  }
}

function targetText(started: FotaStarted): string {
  if (started.thingName) return started.thingName;
  if (started.thingGroup) return `thing group ${started.thingGroup}`;
  return `${started.things.length} ${started.things.length === 1 ? 'thing' : 'things'}`;
}

export async function startFota(deps: Deps, projectUri?: string, thingName?: string): Promise<FotaStarted> {
  const project = await chooseProject(deps, projectUri);
  const { target, count } = await chooseTarget(deps, project, thingName);
  const firmwareUri = required(await deps.ui.pickFile({ title: `${TITLE}: firmware JSON (from link -J)`, defaultUri: project, filters: { 'Firmware JSON': ['json'] } }));
  const bucket = required(await deps.ui.input({ title: `${TITLE}: bucket`, prompt: 'S3 bucket for the firmware and the job document', value: fotaDefaults.bucket, validate: check.bucketName }));
  const role = required(await deps.ui.input({ title: `${TITLE}: role`, prompt: 'IAM role (name or ARN) that lets AWS IoT read the bucket', value: fotaDefaults.role, validate: check.roleName }));
  const durationText = required(await deps.ui.input({ title: `${TITLE}: URL lifetime`, prompt: 'Lifetime of the presigned download URL, in seconds (60-3600)', value: '3600', validate: check.fotaDuration }));
  const params: StartFotaParams = { projectUri: project, ...target, firmwareUri, bucket, role, duration: Number(durationText.trim()) };
  if (count > 1) {
    const rate = required(await deps.ui.input({ title: `${TITLE}: rollout rate`, prompt: 'At most this many things notified per minute (1-1000); empty: no limit', validate: check.optionalRolloutRate }));
    if (rate.trim()) params.maxPerMinute = Number(rate.trim());
  }
  const what = 'thingName' in target ? target.thingName : `${count} things`;
  const started = await withProgress(deps, `Starting FOTA on ${what}`, 'zaws/startFota', params);
  fotaDefaults.bucket = bucket;
  fotaDefaults.role = role;
  deps.views.refreshJobs(project);
  const head = `FOTA job ${started.jobId} started for ${targetText(started)}`;
  const verification = started.verification;
  if (!verification) {
    void deps.ui.info(`${head}.`, SHOW_JOBS).then((action) => (action === SHOW_JOBS ? deps.views.reveal(project) : undefined));
    return started;
  }
  const text = `${head}; ${verificationSummary(verification)}`;
  const shown = verification.ok ? deps.ui.info(text, SHOW_VERIFICATION) : deps.ui.warn(text, SHOW_VERIFICATION);
  void shown.then((action) => (action === SHOW_VERIFICATION ? deps.ui.showReport(`verification-${started.jobId}.md`, verificationMarkdown(verification)) : undefined));
  return started;
}
