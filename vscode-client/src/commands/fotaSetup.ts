/**
 * Set Up FOTA (bucket and role): asks for the S3 bucket and the IAM role, and the server creates
 * whichever is missing (the bucket in the right region, a role AWS IoT can assume with read access
 * to it). The names are remembered as Start FOTA Update's defaults for the session.
 */
import type { Deps } from './deps';
import { required, withProgress } from './shared';
import * as check from '../core/validation';
import type { FotaSetupDone } from '../core/protocol';

const TITLE = 'Set Up FOTA';

/** The last bucket and role set up or used: prefilled in Start FOTA Update. */
export const fotaDefaults: { bucket?: string; role?: string } = {};

export async function fotaSetup(deps: Deps): Promise<FotaSetupDone> {
  const bucket = required(await deps.ui.input({ title: `${TITLE} (1/2): bucket`, prompt: 'S3 bucket for firmware and job documents (created when missing)', value: fotaDefaults.bucket, validate: check.bucketName }));
  const role = required(await deps.ui.input({ title: `${TITLE} (2/2): role`, prompt: 'IAM role AWS IoT assumes to read the bucket (created when missing)', value: fotaDefaults.role ?? 'zaws-fota', validate: check.roleName }));
  const done = await withProgress(deps, `Setting up bucket ${bucket} and role ${role}`, 'zaws/fotaSetup', { bucket, role });
  fotaDefaults.bucket = done.bucket;
  fotaDefaults.role = done.roleName;
  const bucketText = `bucket ${done.bucket} (${done.bucketRegion}) ${done.bucketCreated ? 'created' : 'already there'}`;
  const roleText = `role ${done.roleName} ${done.roleCreated ? 'created' : 'already there'}`;
  void deps.ui.info(`FOTA ready: ${bucketText}; ${roleText}.`);
  return done;
}
