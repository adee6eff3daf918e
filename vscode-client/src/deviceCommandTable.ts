/**
 * The command ids of the simulated devices, the subscriptions and the Messages view, and how a
 * tree row (or the palette, with no row) becomes each command's parameters; commandTable.ts adds
 * them to the others. Stop on selected rows stops the running ones among them.
 */
import type { Deps } from './commands/deps';
import type { DeviceViews } from './commands/deviceViews';
import { checkDevice } from './commands/checkDevice';
import { simulateDevices, stopDevices } from './commands/simulateDevices';
import { subscribeTopic, unsubscribeTopic } from './commands/subscribeTopic';
import { Problem } from './commands/shared';
import { deviceOptions } from './devices/deviceSettings';
import { projectUriOf, selectedThings, thingOf } from './tree/nodes';

type Handler = (...args: unknown[]) => Promise<unknown>;
type Run = (what: string, body: () => Promise<unknown>) => Promise<unknown>;

export function deviceCommandTable(deps: Deps, devices: DeviceViews, run: Run): Record<string, Handler> {
  const rows = (node: unknown, selection: unknown) => {
    const chosen = selectedThings(node, selection);
    if (!chosen) throw new Problem('Run this command from a thing in the Zerynth AWS view.');
    return chosen;
  };
  return {
    'zaws.thing.simulate': (node, selection) => run('Starting the simulated device', () => {
      const chosen = rows(node, selection);
      return simulateDevices(deps, devices, chosen.projectUri, chosen.things.map((t) => t.name), deviceOptions());
    }),
    'zaws.simulateAll': (node) => run('Starting the simulated devices', () => simulateDevices(deps, devices, projectUriOf(node), undefined, deviceOptions())),
    'zaws.thing.stopSimulation': (node, selection) => run('Stopping the simulated device', () => {
      const chosen = rows(node, selection);
      const running = chosen.things.map((t) => t.name).filter((name) => devices.isRunning(chosen.projectUri, name));
      return stopDevices(deps, devices, chosen.projectUri, running.length ? running : chosen.things.map((t) => t.name));
    }),
    'zaws.stopDevices': (node) => run('Stopping the simulated devices', () => stopDevices(deps, devices, projectUriOf(node))),
    'zaws.subscribe': (node) => run('Subscribing', () => subscribeTopic(deps, devices, projectUriOf(node))),
    'zaws.unsubscribe': () => run('Unsubscribing', () => unsubscribeTopic(deps, devices)),
    'zaws.checkDevice': (node) => run('Checking the device connection', () => checkDevice(deps, projectUriOf(node), thingOf(node)?.name)),
    'zaws.messages.show': () => run('Showing the messages', () => devices.showMessages()),
  };
}
