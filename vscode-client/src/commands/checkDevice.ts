/**
 * Check Device Connection (a thing's row, the palette). Steps: choose the project and the thing
 * (the row's, else a pick with the active one first); zaws/checkDevice under a cancellable progress
 * notification (it connects as the thing and tries for real what the firmware does, up to ~10 s a
 * failing step); the result in a notification (every step passed, or the first failure), with
 * Show Details opening the steps, the policy's refusals and AWS's answers as a markdown document.
 */
import type { Deps } from './deps';
import { chooseProject, chooseThing } from './shared';
import type { DeviceCheck } from '../core/deviceProtocol';
import { deviceCheckMarkdown, deviceCheckSummary } from '../core/deviceCheckReport';

export const SHOW_CHECK_DETAILS = 'Show Details';

export async function checkDevice(deps: Deps, projectUri?: string, thingName?: string): Promise<DeviceCheck> {
  const project = await chooseProject(deps, projectUri);
  const name = thingName ?? (await chooseThing(deps, project, 'Check Device Connection', { preferActive: true })).name;
  const check = await deps.ui.withProgress(`Checking the connection of ${name}`, (_report, token) => deps.api.request('zaws/checkDevice', { projectUri: project, thingName: name }, { token }));
  const summary = deviceCheckSummary(check);
  const shown = check.ok ? deps.ui.info(summary, SHOW_CHECK_DETAILS) : deps.ui.warn(summary, SHOW_CHECK_DETAILS);
  void shown.then((action) => (action === SHOW_CHECK_DETAILS ? deps.ui.showReport(`device-check-${check.thing}.md`, deviceCheckMarkdown(check)) : undefined));
  return check;
}
