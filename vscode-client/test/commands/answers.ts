/** Server answers shaped like the real server's (see src/core/protocol.ts), for the fake Api. */
import type { ActiveThing, CertificatesRotated, CertificateStatus, CertificateStatusChanged, CleanupPlan, RemovalPlan, RemoveThingsAnswer, FotaJobDetails, FotaJobSummary, FotaSetupDone, FotaStarted, FotaVerification, ProjectCreated, ThingInfo, ThingList, ThingsAdded } from '../../src/core/protocol';

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
  return { projectUri: P, project: '/ws/blink', things: names, activeThing, resumed: false, certificatesToReview: 0, seconds: 0.5 };
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
    { thingName: 'dev_0', certArns: ['arn:c0'], recorded: true, thingAction: 'delete', reason: null },
    { thingName: 'dev_1', certArns: ['arn:c1'], recorded: true, thingAction: 'delete', reason: null },
  ],
  localPaths: ['/ws/blink/.aws_things_resources', '/ws/blink/.zawsconf', '/ws/blink/certificate.pem.crt', '/ws/blink/private.pem.key'],
  unfinishedAddThingsSince: null,
  certificatesToReview: [],
};

export function verification(jobId: string, ok = true): FotaVerification {
  return {
    jobId,
    ok,
    passed: ok ? ['document.keys', 'firmware.md5', 'role.trust'] : ['document.keys'],
    findings: ok ? [] : [{ check: 'firmware.md5', message: 'The firmware MD5 does not match the document', hint: 'start the job again', severity: 'error' }],
    documentSource: 'https://fw-bucket.s3.amazonaws.com/blink/fota-job',
    firmwareUrl: null,
  };
}

/** What the real server answers to zaws/startFota (a few more fields than the client reads). */
export function fotaStarted(jobId: string, targets: string[], ok = true): FotaStarted & Record<string, unknown> {
  return {
    jobId,
    jobArn: `arn:aws:iot:us-east-1:123456789012:job/${jobId}`,
    thingName: targets.length === 1 ? targets[0]! : null,
    things: targets,
    thingGroup: null,
    bucket: 'fw-bucket',
    bucketRegion: 'us-east-1',
    bytecodeKey: 'blink/fota-1-bc',
    jobDocumentKey: 'blink/fota-1-job',
    document: { operation: 'fota', bc_crc: 'ab'.repeat(16), bc_size: 4, bc_idx: 1, bc_url: '${aws:iot:s3-presigned-url:https://fw-bucket.s3.amazonaws.com/blink/fota-1-bc}' },
    duration: 600,
    verification: verification(jobId, ok),
  };
}

export function jobSummary(jobId: string, status: string | null = 'IN_PROGRESS', counts: FotaJobSummary['counts'] = { queued: 3 }): FotaJobSummary {
  return { jobId, startedAt: 1_700_000_000, things: ['dev_0', 'dev_1', 'dev_2'], thingGroup: null, status, counts };
}

export function jobDetails(jobId: string, status = 'IN_PROGRESS', counts: FotaJobDetails['counts'] = { queued: 3 }): FotaJobDetails {
  return {
    jobId,
    jobArn: `arn:aws:iot:us-east-1:123456789012:job/${jobId}`,
    status,
    targets: ['arn:aws:iot:us-east-1:123456789012:thing/dev_0'],
    description: 'zaws FOTA',
    createdAt: '2023-11-14T22:13:20+00:00',
    rollout: {},
    abort: {},
    urlValidity: 600,
    counts,
    executions: [{ thingName: 'dev_0', targetArn: 'arn:aws:iot:us-east-1:123456789012:thing/dev_0', status: 'QUEUED', lastUpdated: null, statusDetails: null }],
  };
}

export function setupDone(bucket: string, role: string, created = true): FotaSetupDone {
  return { bucket, bucketRegion: 'us-east-1', bucketCreated: created, roleName: role, roleArn: `arn:aws:iam::123456789012:role/${role}`, roleCreated: created };
}

/** zaws/removeThings without confirm: the things named are deleted, unless listed in `kept` (thing -> reason). */
export function removalPlan(names: string[], options: { kept?: Record<string, string>; activeThingRemoved?: boolean } = {}): RemovalPlan {
  return {
    project: '/ws/blink',
    targets: names.map((thingName, i) => ({
      thingName,
      certArns: [`arn:aws:iot:us-east-1:123456789012:cert/r${i}`],
      recorded: true,
      thingAction: options.kept?.[thingName] ? 'keep' : 'delete',
      reason: options.kept?.[thingName] ?? null,
    })),
    activeThingRemoved: options.activeThingRemoved ?? false,
  };
}

/** What zaws/removeThings answers: the plan, or with confirm what was done as the plan said. */
export function removeAnswer(names: string[], confirm: boolean | undefined, options: { kept?: Record<string, string>; activeThingRemoved?: boolean } = {}): RemoveThingsAnswer {
  const plan = removalPlan(names, options);
  if (!confirm) return { projectUri: P, confirmed: false, plan };
  return {
    projectUri: P,
    confirmed: true,
    done: {
      project: '/ws/blink',
      removed: names,
      thingsDeleted: plan.targets.filter((t) => t.thingAction === 'delete').map((t) => t.thingName),
      certificatesDeleted: names.length,
      thingsKept: plan.targets.filter((t) => t.thingAction === 'keep').map((t) => ({ thingName: t.thingName, reason: t.reason ?? '' })),
      activeThingCleared: plan.activeThingRemoved,
    },
  };
}

export function certificateChanged(thingName: string, status: CertificateStatus, previousStatus = 'ACTIVE'): CertificateStatusChanged {
  return { projectUri: P, project: '/ws/blink', thingName, certificateId: 'ab'.repeat(32), previousStatus, status };
}

/** What zaws/rotateCertificates answers: a new certificate for each thing named, the old one retired unless keepOld. */
export function rotated(names: string[], keepOld = false, options: { resumed?: boolean; certificatesToReview?: number } = {}): CertificatesRotated {
  return {
    projectUri: P,
    project: '/ws/blink',
    rotated: names.map((thingName, i) => ({
      thingName,
      newCertArn: `arn:aws:iot:us-east-1:123456789012:cert/new${i}`,
      oldCertArn: `arn:aws:iot:us-east-1:123456789012:cert/${i}`,
      oldRetired: !keepOld,
    })),
    resumed: options.resumed ?? false,
    certificatesToReview: options.certificatesToReview ?? 0,
  };
}
