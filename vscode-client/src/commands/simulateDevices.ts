/**
 * Simulate Device (a thing's row), Simulate All Things (a project's row, the palette), Stop
 * Simulated Device (a running thing's row) and Stop Simulated Devices (a project's row: its
 * devices; the palette: every device). Steps: choose the project; zaws/startDevices with the
 * things (or allThings), the sample interval and how FOTA jobs end (settings
 * zaws.devices.sampleInterval, zaws.devices.fotaResult); the answer marks the rows running and
 * the Messages view opens, where the devices' messages and events arrive. Stopping asks
 * zaws/stopDevices, which disconnects each device cleanly before it answers; the marks go.
 */
import type { Deps } from './deps';
import type { DeviceOptions, DeviceViews } from './deviceViews';
import { chooseProject, plural, summarize } from './shared';
import type { DevicesStarted, DevicesStopped, FotaResult } from '../core/deviceProtocol';

const FOTA_WORDS: Record<FotaResult, string> = {
  succeed: 'FOTA jobs succeed',
  'fail-md5': 'FOTA downloads fail their MD5 check (FAILED, "bad crc")',
  reject: 'FOTA jobs are rejected',
};

/** `thingNames` undefined: every thing of the project. */
export async function simulateDevices(deps: Deps, devices: DeviceViews, projectUri: string | undefined, thingNames: string[] | undefined, options: DeviceOptions = {}): Promise<DevicesStarted> {
  const project = await chooseProject(deps, projectUri);
  const answer = await deps.api.request('zaws/startDevices', {
    projectUri: project,
    ...(thingNames ? { thingNames } : { allThings: true }),
    ...(options.every !== undefined ? { every: options.every } : {}),
    ...(options.fotaResult ? { fotaResult: options.fotaResult } : {}),
  });
  devices.started(answer);
  await devices.showMessages();
  const who = answer.things.length === 1 ? `${answer.things[0]!} runs as a simulated device` : `${plural(answer.things.length, 'thing', 'things')} run as simulated devices`;
  void deps.ui.info(`${who}: a sample every ${answer.every} s; ${FOTA_WORDS[answer.fotaResult]}. Messages: Messages view.`);
  return answer;
}

/** `thingNames` undefined: all the project's devices; `projectUri` undefined too: every device. */
export async function stopDevices(deps: Deps, devices: DeviceViews, projectUri: string | undefined, thingNames?: string[]): Promise<DevicesStopped> {
  const params = projectUri ? { projectUri, ...(thingNames ? { thingNames } : {}) } : { all: true };
  const answer = await deps.api.request('zaws/stopDevices', params);
  devices.stopped(answer);
  const names = answer.stopped.map((d) => d.thing);
  if (names.length === 0) void deps.ui.info('No simulated device was running.');
  else if (names.length === 1) void deps.ui.info(`Stopped the simulated device ${names[0]!}.`);
  else void deps.ui.info(`Stopped ${names.length} simulated devices: ${summarize(names)}.`);
  return answer;
}
