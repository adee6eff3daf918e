/** Server answers shaped like the real server's (see src/core/protocol.ts), for the fake Api. */
import type { ActiveThing, CleanupPlan, ProjectCreated, ThingInfo, ThingList, ThingsAdded } from '../../src/core/protocol';

export const P = 'file:///ws/blink';

export function things(n: number, active = 0, base = 'dev'): ThingInfo[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${base}_${i}`,
    index: i,
    active: i === active,
    certArn: `arn:aws:iot:us-east-1:123456789012:cert/${i}`,
    folder: `/ws/blink/.aws_things_resources/${base}_${i}`,
    remote: null,
  }));
}

export function thingList(list: ThingInfo[], projectUri = P): ThingList {
  return { projectUri, project: new URL(projectUri).pathname, baseName: list.length ? 'dev' : null, activeThing: list.find((t) => t.active)?.name ?? null, things: list, pendingAddThings: false };
}

export function added(names: string[], activeThing: string | null = null): ThingsAdded {
  return { projectUri: P, project: '/ws/blink', things: names, activeThing, resumed: false, orphanCertificatesDeleted: 0, seconds: 0.5 };
}

export function created(parentUri: string, name: string): ProjectCreated {
  return { projectUri: `${parentUri}/${name}`, path: `${new URL(parentUri).pathname}/${name}`, endpoint: '', endpointSource: 'unset', policyName: 'ZerynthThing', endpointNote: null };
}

export function activeThing(thingName: string): ActiveThing {
  return { projectUri: P, project: '/ws/blink', thingName, certArn: 'arn:aws:iot:us-east-1:123456789012:cert/x' };
}

export const plan: CleanupPlan = {
  project: '/ws/blink',
  targets: [
    { thingName: 'dev_0', certArns: ['arn:c0'], recorded: true },
    { thingName: 'dev_1', certArns: ['arn:c1'], recorded: true },
  ],
  localPaths: ['/ws/blink/.aws_things_resources', '/ws/blink/.zawsconf', '/ws/blink/certificate.pem.crt', '/ws/blink/private.pem.key'],
  unfinishedAddThingsSince: null,
};
