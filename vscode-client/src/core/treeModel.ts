/**
 * What each row of the things tree shows, computed from the server's answers: a project row, and
 * under it one row per thing with the active one marked and the remote status when known. Pure, so
 * it is tested (including with 1,000 things) without VS Code.
 */
import type { ThingInfo } from './protocol';

export interface RowLook {
  label: string;
  description?: string;
  tooltip: string;
  /** A codicon id. */
  icon: string;
  /** An optional theme color id for the icon. */
  iconColor?: string;
  /**
   * Menus key on it: `zaws.thing` (can be made active), `zaws.thing.active`, and for a thing whose
   * certificate zaws stopped (never offered Set Active) `zaws.thing.revoked`, `zaws.thing.inactive`;
   * a thing running as a simulated device has `.running` after it (`zaws.thing.active.running`).
   */
  contextValue: string;
}

export function projectLook(name: string, path: string, things: ThingInfo[] | undefined, error?: string): RowLook {
  const active = things?.find((t) => t.active);
  let description: string;
  if (error) description = 'unavailable';
  else if (!things) description = 'loading…';
  else description = `${things.length} ${things.length === 1 ? 'thing' : 'things'}${active ? ` · active: ${active.name}` : ''}`;
  return {
    label: name,
    description,
    tooltip: error ? `${path}\n${error}` : path,
    icon: error ? 'warning' : 'project',
    contextValue: 'zaws.project',
  };
}

/** How a thing whose certificate zaws revoked or deactivated is named in rows and picks. */
export function stoppedText(thing: ThingInfo): string | undefined {
  if (thing.certificateStatus === 'REVOKED') return 'certificate revoked';
  if (thing.certificateStatus === 'INACTIVE') return 'certificate deactivated';
  return undefined;
}

export function thingLook(thing: ThingInfo): RowLook {
  return thingRow(thing, false);
}

/** The row of a thing that runs as a simulated device in the server (zaws/startDevices). */
export function runningThingLook(thing: ThingInfo): RowLook {
  return thingRow(thing, true);
}

function thingRow(thing: ThingInfo, running: boolean): RowLook {
  const parts: string[] = [];
  if (thing.active) parts.push('active');
  if (running) parts.push('simulated device running');
  const stopped = stoppedText(thing);
  if (stopped) parts.push(stopped);
  const remote = remoteText(thing);
  if (remote) parts.push(remote);
  const tooltip = [
    `${thing.name}${thing.index !== null ? ` (#${thing.index})` : ''}${thing.active ? ', the active thing' : ''}`,
    thing.certArn ? `certificate: ${thing.certArn}` : undefined,
    thing.certificateStatus === 'REVOKED' ? 'certificate revoked: a device with it can no longer connect (final); Rotate Certificate gives the thing a new one' : undefined,
    thing.certificateStatus === 'INACTIVE' ? 'certificate deactivated: a device with it cannot connect until Activate Certificate' : undefined,
    remote ? `remote: ${remote}` : undefined,
    running ? 'running as a simulated device: its messages are in the Messages view' : undefined,
  ].filter(Boolean).join('\n');
  const base = thing.certificateStatus === 'REVOKED' ? 'zaws.thing.revoked' : thing.certificateStatus === 'INACTIVE' ? 'zaws.thing.inactive' : thing.active ? 'zaws.thing.active' : 'zaws.thing';
  const stoppedOrRemoteProblem = !!thing.certificateStatus || remoteProblem(thing);
  return {
    label: thing.name,
    description: parts.length ? parts.join(' · ') : undefined,
    tooltip,
    icon: running && !stoppedOrRemoteProblem ? 'radio-tower' : thingIcon(thing),
    iconColor: running && !stoppedOrRemoteProblem ? 'charts.green' : thingIconColor(thing),
    contextValue: running ? `${base}.running` : base,
  };
}

/** What AWS said; the certificate's status only when zaws noted none (its note is newer than a check). */
function remoteText(thing: ThingInfo): string | undefined {
  const remote = thing.remote;
  if (!remote) return undefined;
  if (!remote.thingExists) return 'missing in AWS';
  if (thing.certificateStatus) return undefined;
  return remote.certificateStatus ? `certificate ${remote.certificateStatus}` : 'in AWS';
}

function remoteProblem(thing: ThingInfo): boolean {
  const remote = thing.remote;
  if (!remote) return false;
  return !remote.thingExists || (!thing.certificateStatus && !!remote.certificateStatus && remote.certificateStatus !== 'ACTIVE');
}

function thingIcon(thing: ThingInfo): string {
  if (thing.certificateStatus === 'REVOKED') return 'error';
  if (thing.certificateStatus === 'INACTIVE') return 'debug-pause';
  if (remoteProblem(thing)) return 'warning';
  return thing.active ? 'pass-filled' : 'circle-outline';
}

function thingIconColor(thing: ThingInfo): string | undefined {
  if (thing.certificateStatus === 'REVOKED') return 'problemsErrorIcon.foreground';
  if (thing.certificateStatus === 'INACTIVE' || remoteProblem(thing)) return 'problemsWarningIcon.foreground';
  return thing.active ? 'testing.iconPassed' : undefined;
}
