/**
 * Revoke Certificate (a thing's row), for a board that is lost or stolen. Steps:
 * 1. a modal that says revoking is final, offering "Deactivate (reversible)" as the second choice
 *    (not for a thing already deactivated: then only Revoke);
 * 2. `zaws/setCertificateStatus` with REVOKED or INACTIVE and `confirm: true`;
 * 3. refresh the project's rows (the thing is shown revoked or deactivated) and say what changed.
 */
import type { Deps } from './deps';
import { Problem } from './shared';
import type { CertificateStatusChanged, ThingInfo } from '../core/protocol';

export const REVOKE_LABEL = 'Revoke';
export const DEACTIVATE_LABEL = 'Deactivate (reversible)';

export async function revokeCertificate(deps: Deps, projectUri: string, thing: ThingInfo): Promise<CertificateStatusChanged | undefined> {
  if (thing.certificateStatus === 'REVOKED') throw new Problem(`The certificate of ${thing.name} is revoked already: Rotate Certificate gives the thing a new one.`);
  const labels = thing.certificateStatus === 'INACTIVE' ? [REVOKE_LABEL] : [REVOKE_LABEL, DEACTIVATE_LABEL];
  const detail = [
    `Revoking is final: AWS never lets a revoked certificate become active again. A device using it can no longer connect, and ${thing.name} would need a new certificate (Rotate Certificate).`,
    thing.certificateStatus === 'INACTIVE' ? `It is deactivated now.` : 'Deactivating also stops the device from connecting, and Activate Certificate undoes it.',
    thing.active ? `${thing.name} is the project's active thing: the firmware built with it will not connect either.` : undefined,
  ].filter(Boolean).join('\n\n');
  const chosen = await deps.ui.choose(`Revoke the certificate of ${thing.name}?`, detail, labels);
  if (chosen === undefined) return undefined;
  const status = chosen === DEACTIVATE_LABEL ? 'INACTIVE' : 'REVOKED';
  const changed = await deps.api.request('zaws/setCertificateStatus', { projectUri, thingName: thing.name, status, confirm: true });
  deps.views.refresh(projectUri);
  void deps.ui.info(status === 'REVOKED' ? `Revoked the certificate of ${changed.thingName}.` : `Deactivated the certificate of ${changed.thingName}.`);
  return changed;
}
