/**
 * Create Project from Template. Prompts for the name, the parent folder, the AWS IoT endpoint and
 * the policy name; asks the server to copy the template; refreshes the tree and, when the project is
 * outside the workspace, offers to add it.
 */
import type { Deps } from './deps';
import { required } from './shared';
import * as check from '../core/validation';
import type { ProjectCreated } from '../core/protocol';

const TITLE = 'Create Project from Template';

export async function createProject(deps: Deps): Promise<ProjectCreated> {
  const name = required(await deps.ui.input({ title: `${TITLE} (1/4)`, prompt: 'Project name (a new folder with this name is created)', validate: check.projectName }));
  const parentUri = required(await deps.ui.pickFolder({ title: `${TITLE} (2/4): the folder to create "${name}" in`, defaultUri: deps.projects.defaultParent() }));
  const endpoint = required(await deps.ui.input({
    title: `${TITLE} (3/4)`,
    prompt: 'AWS IoT data endpoint (empty: fill it in later, or let the server look it up)',
    placeHolder: 'xxxxxxxxxxxxxx-ats.iot.eu-west-1.amazonaws.com',
    validate: check.endpoint,
  }));
  const policyName = required(await deps.ui.input({ title: `${TITLE} (4/4)`, prompt: 'Name of the AWS IoT policy attached to each thing\'s certificate (empty: the default)', validate: check.optionalPolicyName }));
  const created = await deps.api.request('zaws/createProject', {
    name,
    parentUri,
    ...(endpoint ? { endpoint } : {}),
    ...(policyName ? { policyName } : {}),
  });
  deps.views.refresh();
  if (deps.projects.isInWorkspace(created.projectUri)) {
    void deps.ui.info(`Created project "${name}".`, 'Show in Tree').then((action) => {
      if (action === 'Show in Tree') void deps.views.reveal(created.projectUri);
    });
  } else {
    void deps.ui.info(`Created project "${name}" outside the workspace.`, 'Add to Workspace').then((action) => {
      if (action === 'Add to Workspace') deps.projects.addToWorkspace(created.projectUri);
    });
  }
  return created;
}
