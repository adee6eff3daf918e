/**
 * Activate Certificate (the row of a thing whose certificate zaws deactivated). Steps:
 * 1. `zaws/setCertificateStatus` with ACTIVE (nothing is lost: no confirmation);
 * 2. refresh the project's rows and say the device can connect again.
 */
import type { Deps } from './deps';
import { Problem } from './shared';
import type { CertificateStatusChanged, ThingInfo } from '../core/protocol';

export async function activateCertificate(deps: Deps, projectUri: string, thing: ThingInfo): Promise<CertificateStatusChanged> {
  if (thing.certificateStatus === 'REVOKED') throw new Problem(`The certificate of ${thing.name} is revoked: AWS never lets it become active again. Rotate Certificate gives the thing a new one.`);
  const changed = await deps.api.request('zaws/setCertificateStatus', { projectUri, thingName: thing.name, status: 'ACTIVE' });
  deps.views.refresh(projectUri);
  void deps.ui.info(`Activated the certificate of ${changed.thingName} again.`);
  return changed;
}
