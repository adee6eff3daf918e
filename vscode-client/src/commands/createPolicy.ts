/** Create Device Policy: creates the AWS IoT policy that thing certificates get attached to. */
import type { Deps } from './deps';
import { required } from './shared';
import * as check from '../core/validation';
import type { PolicyCreated } from '../core/protocol';

export async function createPolicy(deps: Deps): Promise<PolicyCreated> {
  const name = required(await deps.ui.input({ title: 'Create Device Policy', prompt: 'Policy name', validate: check.policyName }));
  const created = await deps.api.request('zaws/createPolicy', { name });
  void deps.ui.info(!created.created ? `Policy ${created.name} already exists.` : `Created policy ${created.name}.`);
  return created;
}
