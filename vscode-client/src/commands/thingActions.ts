/** The small actions on a thing row: reveal its resources folder, copy its name or certificate ARN. */
import type { Deps } from './deps';
import { Problem } from './shared';
import type { ThingInfo } from '../core/protocol';

export async function revealResources(deps: Deps, thing: ThingInfo): Promise<void> {
  if (!thing.folder) throw new Problem(`The server did not say where the files of ${thing.name} are.`);
  await deps.host.revealFolder(thing.folder);
}

export async function copyName(deps: Deps, thing: ThingInfo): Promise<void> {
  await deps.host.copy(thing.name);
}

export async function copyCertArn(deps: Deps, thing: ThingInfo): Promise<void> {
  if (!thing.certArn) throw new Problem(`${thing.name} has no certificate ARN recorded.`);
  await deps.host.copy(thing.certArn);
}
