/**
 * Every command id the extension registers, and how each one's arguments (a tree row, code-lens
 * arguments, nothing from the palette) become the command's parameters. The `zaws.lens.*` ids are
 * the ones the server puts in its code lenses; the server must not advertise them itself.
 */
import * as vscode from 'vscode';
import type { Deps } from './commands/deps';
import { runCommand } from './commands/run';
import { addThings } from './commands/addThings';
import { cleanup } from './commands/cleanup';
import { createPolicy } from './commands/createPolicy';
import { createProject } from './commands/createProject';
import { selectProfile, useLocalEmulator } from './commands/awsTarget';
import { setActiveThing } from './commands/setActiveThing';
import { startFota } from './commands/startFota';
import { fotaSetup } from './commands/fotaSetup';
import { cancelJob, deleteJob, describeJob, verifyJob } from './commands/fotaJobs';
import { copyCertArn, copyName, revealResources } from './commands/thingActions';
import { removeThings } from './commands/removeThings';
import { revokeCertificate } from './commands/revokeCertificate';
import { activateCertificate } from './commands/activateCertificate';
import { rotateCertificates } from './commands/rotateCertificates';
import { Problem } from './commands/shared';
import type { DeviceViews } from './commands/deviceViews';
import { deviceCommandTable } from './deviceCommandTable';
import { LENS_COMMANDS, lensArgs } from './core/protocol';
import { jobOf, projectUriOf, selectedThings, thingOf } from './tree/nodes';

type Handler = (...args: unknown[]) => Promise<unknown>;

export function commandTable(deps: Deps, extra: { showLog: () => void; restartServer: () => Promise<void>; devices: DeviceViews }): Record<string, Handler> {
  const run = (what: string, body: () => Promise<unknown>) => runCommand(deps, what, body);
  const thingArg = (arg: unknown) => {
    const thing = thingOf(arg);
    if (!thing) throw new Problem('Run this command from a thing in the Zerynth AWS view.');
    return thing;
  };
  return {
    'zaws.createProject': () => run('Creating the project', () => createProject(deps)),
    'zaws.addThings': (node) => run('Adding things', () => addThings(deps, projectUriOf(node))),
    'zaws.setActiveThing': (node) => run('Setting the active thing', () => setActiveThing(deps, projectUriOf(node))),
    'zaws.cleanup': (node) => run('Cleaning up', () => cleanup(deps, projectUriOf(node))),
    'zaws.startFota': (node) => run('Starting FOTA', () => startFota(deps, projectUriOf(node), thingOf(node)?.name)),
    'zaws.fotaSetup': () => run('Setting up FOTA', () => fotaSetup(deps)),
    'zaws.job.describe': (node) => run('Describing the FOTA job', () => describeJob(deps, jobOf(node))),
    'zaws.job.verify': (node) => run('Verifying the FOTA job', () => verifyJob(deps, jobOf(node))),
    'zaws.job.cancel': (node) => run('Cancelling the FOTA job', () => cancelJob(deps, jobOf(node))),
    'zaws.job.delete': (node) => run('Deleting the FOTA job', () => deleteJob(deps, jobOf(node))),
    'zaws.jobs.refresh': (node) => run('Refreshing the FOTA jobs', () => {
      const projectUri = projectUriOf(node);
      if (projectUri) deps.views.refreshJobs(projectUri);
      else deps.views.refresh();
      return Promise.resolve();
    }),
    'zaws.createPolicy': () => run('Creating the policy', () => createPolicy(deps)),
    'zaws.refresh': () => run('Refreshing', () => Promise.resolve(deps.views.refresh())),
    'zaws.checkRemote': () => run('Checking the things in AWS', () => deps.ui.withProgress('Checking the things in AWS', () => deps.views.checkRemote(), { cancellable: false })),
    'zaws.selectProfile': () => run('Selecting the AWS profile', () => selectProfile(deps)),
    'zaws.useLocalEmulator': () => run('Switching to the local emulator', () => useLocalEmulator(deps)),
    'zaws.showLog': () => Promise.resolve(extra.showLog()),
    'zaws.restartServer': () => run('Restarting the server', extra.restartServer),
    'zaws.thing.setActive': (node) => run('Setting the active thing', () => setActiveThing(deps, projectUriOf(node), thingArg(node).name)),
    'zaws.thing.startFota': (node) => run('Starting FOTA', () => startFota(deps, projectUriOf(node), thingArg(node).name)),
    'zaws.thing.revealResources': (node) => run('Revealing the files', () => revealResources(deps, thingArg(node))),
    'zaws.thing.copyName': (node) => run('Copying', () => copyName(deps, thingArg(node))),
    'zaws.thing.copyCertArn': (node) => run('Copying', () => copyCertArn(deps, thingArg(node))),
    'zaws.thing.remove': (node, selection) => run('Removing things', () => {
      const chosen = selectedThings(node, selection);
      if (!chosen) throw new Problem('Run this command from a thing in the Zerynth AWS view.');
      return removeThings(deps, chosen.projectUri, chosen.things.map((t) => t.name));
    }),
    'zaws.thing.revokeCertificate': (node) => run('Revoking the certificate', () => revokeCertificate(deps, projectUriOf(node) ?? '', thingArg(node))),
    'zaws.thing.rotateCertificate': (node, selection) => run('Rotating certificates', () => {
      const chosen = selectedThings(node, selection);
      if (!chosen) throw new Problem('Run this command from a thing in the Zerynth AWS view.');
      return rotateCertificates(deps, chosen.projectUri, chosen.things);
    }),
    'zaws.thing.activateCertificate': (node) => run('Activating the certificate', () => activateCertificate(deps, projectUriOf(node) ?? '', thingArg(node))),
    [LENS_COMMANDS.switchActiveThing]: (...args) => run('Setting the active thing', () => setActiveThing(deps, lensArgs(args).projectUri)),
    [LENS_COMMANDS.addThings]: (...args) => run('Adding things', () => addThings(deps, lensArgs(args).projectUri)),
    [LENS_COMMANDS.startFota]: (...args) => run('Starting FOTA', () => startFota(deps, lensArgs(args).projectUri, lensArgs(args).thingName)),
    ...deviceCommandTable(deps, extra.devices, run),
  };
}

export function registerCommands(table: Record<string, Handler>): vscode.Disposable {
  return vscode.Disposable.from(...Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler)));
}
