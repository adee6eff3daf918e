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
  contextValue: 'zaws.project' | 'zaws.thing' | 'zaws.thing.active';
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

export function thingLook(thing: ThingInfo): RowLook {
  const parts: string[] = [];
  if (thing.active) parts.push('active');
  const remote = remoteText(thing);
  if (remote) parts.push(remote);
  const tooltip = [
    `${thing.name}${thing.index !== null ? ` (#${thing.index})` : ''}${thing.active ? ', the active thing' : ''}`,
    thing.certArn ? `certificate: ${thing.certArn}` : undefined,
    remote ? `remote: ${remote}` : undefined,
  ].filter(Boolean).join('\n');
  return {
    label: thing.name,
    description: parts.length ? parts.join(' · ') : undefined,
    tooltip,
    icon: thingIcon(thing),
    iconColor: thing.remote && (!thing.remote.thingExists || (thing.remote.certificateStatus && thing.remote.certificateStatus !== 'ACTIVE')) ? 'problemsWarningIcon.foreground' : thing.active ? 'testing.iconPassed' : undefined,
    contextValue: thing.active ? 'zaws.thing.active' : 'zaws.thing',
  };
}

function remoteText(thing: ThingInfo): string | undefined {
  const remote = thing.remote;
  if (!remote) return undefined;
  if (!remote.thingExists) return 'missing in AWS';
  return remote.certificateStatus ? `certificate ${remote.certificateStatus}` : 'in AWS';
}

function thingIcon(thing: ThingInfo): string {
  if (thing.remote && !thing.remote.thingExists) return 'warning';
  if (thing.remote?.certificateStatus && thing.remote.certificateStatus !== 'ACTIVE') return 'warning';
  return thing.active ? 'pass-filled' : 'circle-outline';
}
