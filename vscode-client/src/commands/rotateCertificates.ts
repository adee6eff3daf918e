/**
 * Rotate Certificate (a thing's row; with several rows selected, all of them), for a key that may
 * have leaked, or to make a revoked or deactivated thing work again. Steps:
 * 1. a modal that says what happens: a new key and certificate per thing, put in place before the
 *    old certificate is deactivated and deleted; "Rotate, keep old certificate active" as the
 *    second choice (keepOld: the old one keeps working until `zaws retire-old-certificate`), not
 *    when every certificate is revoked or deactivated already (none would keep working);
 * 2. `zaws/rotateCertificates` under a cancellable progress notification;
 * 3. refresh the project's rows and say what was done.
 */
import type { Deps } from './deps';
import { plural, Problem, summarize, withProgress } from './shared';
import type { CertificatesRotated, ThingInfo } from '../core/protocol';
import { folderName } from '../core/projects';

export const ROTATE_LABEL = 'Rotate';
export const KEEP_OLD_LABEL = 'Rotate, keep old certificate active';

/** Keeping the old certificates is offered when one of them still works. */
export function canKeepOld(things: ThingInfo[]): boolean {
  return things.some((t) => !t.certificateStatus);
}

export function rotationText(things: ThingInfo[]): string {
  const one = things.length === 1;
  const names = summarize(things.map((t) => t.name), 8);
  const lines = [
    `${one ? names : `Each of ${names}`} gets a new private key and certificate, attached with the project's policy; the files in .aws_things_resources follow (the old ones kept as *.previous).`,
    canKeepOld(things)
      ? `Then the old certificate is deactivated and deleted: a device still using it can no longer connect. To keep it working while you flash the new one, choose "${KEEP_OLD_LABEL}" (zaws retire-old-certificate deletes it later).`
      : `Then the old ${one ? 'certificate is' : 'certificates are'} deleted in AWS.`,
  ];
  const stopped = things.filter((t) => t.certificateStatus);
  if (stopped.length) {
    const revoked = stopped.every((t) => t.certificateStatus === 'REVOKED') ? 'revoked' : stopped.every((t) => t.certificateStatus === 'INACTIVE') ? 'deactivated' : 'revoked or deactivated';
    lines.push(`The ${stopped.length === 1 ? 'certificate' : 'certificates'} of ${summarize(stopped.map((t) => t.name))} ${stopped.length === 1 ? 'is' : 'are'} ${revoked}: with the new one, ${stopped.length === 1 ? 'it' : 'they'} can connect and be made active again.`);
  }
  const active = things.find((t) => t.active);
  if (active) lines.push(`${active.name} is the project's active thing: the key and certificate at the project's top level follow.`);
  return lines.join('\n\n');
}

/** Short enough for a toast: the modal said what keeping the old certificates means. */
export function rotatedText(done: CertificatesRotated): string {
  const names = (list: CertificatesRotated['rotated']) => summarize(list.map((r) => r.thingName));
  if (done.rotated.length === 0) return 'No certificate was rotated.';
  const one = done.rotated.length === 1;
  const kept = done.rotated.filter((r) => !r.oldRetired);
  const parts = [`${done.resumed ? 'Finished an interrupted rotation: n' : 'N'}ew ${one ? 'certificate' : 'certificates'} for ${names(done.rotated)}`];
  if (kept.length === 0) parts.push(one ? 'old one deleted' : 'old ones deleted');
  else if (kept.length === done.rotated.length) parts.push(one ? 'old one kept' : 'old ones kept');
  else parts.push(`old ones deleted, but for ${names(kept)} (kept)`);
  if (done.certificatesToReview) parts.push(`${plural(done.certificatesToReview, 'certificate', 'certificates')} to review with zaws orphan-certificates`);
  return `${parts.join('; ')}.`;
}

export async function rotateCertificates(deps: Deps, projectUri: string, things: ThingInfo[]): Promise<CertificatesRotated | undefined> {
  if (things.length === 0) throw new Problem('Select the things whose certificate to rotate in the Zerynth AWS view.');
  const name = folderName(new URL(projectUri).pathname);
  const thingNames = things.map((t) => t.name);
  const what = things.length === 1 ? `the certificate of ${thingNames[0]!}` : `the certificates of ${plural(things.length, 'thing', 'things')}`;
  const chosen = await deps.ui.choose(`Rotate ${what} in ${name}?`, rotationText(things), canKeepOld(things) ? [ROTATE_LABEL, KEEP_OLD_LABEL] : [ROTATE_LABEL]);
  if (chosen === undefined) return undefined;
  const keepOld = chosen === KEEP_OLD_LABEL;
  const done = await withProgress(deps, `Rotating ${what} in ${name}`, 'zaws/rotateCertificates', { projectUri, thingNames, ...(keepOld ? { keepOld } : {}) }, things.length);
  deps.views.refresh(projectUri);
  void deps.ui.info(rotatedText(done));
  return done;
}
