/**
 * The client's side of the zaws protocol, in one place: method names, the params the client sends
 * and the results it reads. Everything else goes through `RequestMap`, so a contract test can check
 * this file (and the params the commands really send) against protocol/openrpc.json.
 *
 * The simulated devices' and subscriptions' types are in deviceProtocol.ts (their methods are in
 * RequestMap here, listed in DEVICE_METHODS there, checked by test/deviceContract.test.ts).
 *
 * Pure types and constants: no `vscode` import, usable from unit tests.
 */
import type {
  CheckDeviceParams,
  DeviceCheck,
  DeviceList,
  DevicesStarted,
  DevicesStopped,
  ListDevicesParams,
  StartDevicesParams,
  StopDevicesParams,
  SubscribeParams,
  Subscribed,
  UnsubscribeParams,
  Unsubscribed,
} from './deviceProtocol';

/** A file URI of a project folder, e.g. `file:///home/me/blink`. */
export type ProjectUri = string;

export interface WorkDoneParams {
  /** Set by the client when it wants `$/progress` reports for this request. */
  workDoneToken?: string;
}

export interface CreateProjectParams {
  name: string;
  /** File URI of the folder the project folder is created in. */
  parentUri: string;
  endpoint?: string;
  policyName?: string;
}

export interface ProjectCreated {
  projectUri: ProjectUri;
  path: string;
  endpoint: string;
  /** "given", "account" (looked up) or "unset". */
  endpointSource: string;
  policyName: string;
  endpointNote: string | null;
}

/** Who makes each thing's private key without csrDir: AWS (the default) or this machine. */
export type KeyMaker = 'aws' | 'local';
export type KeyType = 'rsa-2048' | 'ec-p256' | 'ec-p384';

export interface AddThingsParams extends WorkDoneParams {
  projectUri: ProjectUri;
  /** Without it 1; with csrDir one per CSR file (if given, it must agree). */
  count?: number;
  baseName?: string;
  /** Absent: AWS makes the keys. Not with csrDir. */
  keys?: KeyMaker;
  /** With keys local. */
  keyType?: KeyType;
  /** file: URI of a folder of the devices' CSRs, one thing per file; no private key in the project. */
  csrDir?: string;
  /** One AWS IoT bulk registration task (keys local or csrDir). */
  bulk?: boolean;
  /** With bulk: an existing S3 bucket; absent, zaws creates one (bucketCreated). */
  bucket?: string;
}

export interface ThingsAdded {
  projectUri: ProjectUri;
  project: string;
  /** The names created by this request. */
  things: string[];
  activeThing: string | null;
  resumed: boolean;
  /** Certificates that may have been made without saving their key; review with `zaws orphan-certificates`. */
  certificatesToReview: number;
  seconds: number;
  /** Certificates of this run's own keys whose answer was lost, deleted (keys local). */
  orphanCertificatesDeleted?: number;
  /** With csrDir: which CSR file became which thing, in the things' order. */
  csrFiles?: { thing: string; csrFile: string }[];
  /** With bulk: the registration task, its input file's bucket, and whether zaws created it. */
  bulkTaskId?: string | null;
  bucket?: string | null;
  bucketCreated?: boolean;
}

export interface SetActiveThingParams {
  projectUri: ProjectUri;
  /** Exactly one of thingName and thingId. */
  thingName?: string;
  thingId?: number;
}

export interface ActiveThing {
  projectUri: ProjectUri;
  project: string;
  thingName: string;
  certArn: string;
}

export interface CleanupParams extends WorkDoneParams {
  projectUri: ProjectUri;
  /** Without it the server deletes nothing and answers with the plan. */
  confirm?: boolean;
}

export interface CleanupTarget {
  thingName: string;
  /** The project's certificates of the thing that exist in AWS: detached and deleted. */
  certArns: string[];
  /** False: left over from an unfinished add-things run. */
  recorded: boolean;
  /** keep: the thing is not the project's, or another principal is attached (see reason). */
  thingAction: 'delete' | 'keep' | 'gone';
  reason: string | null;
}

export interface CleanupPlan {
  project: string;
  targets: CleanupTarget[];
  /** Files and folders deleted from disk. */
  localPaths: string[];
  unfinishedAddThingsSince: number | null;
  /** Certificates an interrupted add-things may have made without their key: never deleted here. */
  certificatesToReview: string[];
}

export interface CleanupDone {
  project: string;
  thingsDeleted: string[];
  certificatesDeleted: number;
  /** Left in AWS: not the project's, or another principal is attached. */
  thingsKept: { thingName: string; reason: string }[];
  certificatesToReview: number;
  localPathsRemoved: string[];
}

export interface RemoveThingsParams extends WorkDoneParams {
  projectUri: ProjectUri;
  /** At least one; each a thing of the project. */
  thingNames: string[];
  /** Without it the server deletes nothing and answers with the plan. */
  confirm?: boolean;
}

export interface RemovalPlan {
  project: string;
  targets: CleanupTarget[];
  /** The project's active thing is among them: the project will have none. */
  activeThingRemoved: boolean;
}

export interface ThingsRemoved {
  project: string;
  /** Records removed from the project. */
  removed: string[];
  thingsDeleted: string[];
  certificatesDeleted: number;
  /** Left in AWS: not the project's, or another principal is attached. */
  thingsKept: { thingName: string; reason: string }[];
  activeThingCleared: boolean;
}

export type RemoveThingsAnswer =
  | { projectUri: ProjectUri; confirmed: false; plan: RemovalPlan }
  | { projectUri: ProjectUri; confirmed: true; done: ThingsRemoved };

/** REVOKED is final; INACTIVE is reversible with ACTIVE. */
export type CertificateStatus = 'REVOKED' | 'INACTIVE' | 'ACTIVE';

export interface SetCertificateStatusParams {
  projectUri: ProjectUri;
  thingName: string;
  status: CertificateStatus;
  /** Required (true) for REVOKED and INACTIVE, else ConfirmationRequired. */
  confirm?: boolean;
}

export interface CertificateStatusChanged {
  projectUri: ProjectUri;
  project: string;
  thingName: string;
  certificateId: string;
  previousStatus: string;
  status: CertificateStatus;
}

export interface RotateCertificatesParams extends WorkDoneParams {
  projectUri: ProjectUri;
  /** At least one; each a thing of the project. */
  thingNames: string[];
  /** Leave the old certificates ACTIVE (retired later with `zaws retire-old-certificate`). */
  keepOld?: boolean;
}

export interface CertificateRotated {
  thingName: string;
  newCertArn: string;
  oldCertArn: string;
  /** False: the old certificate is still in AWS (keepOld); `zaws retire-old-certificate` deletes it. */
  oldRetired: boolean;
}

export interface CertificatesRotated {
  projectUri: ProjectUri;
  project: string;
  rotated: CertificateRotated[];
  /** The call finished a rotation a crash interrupted. */
  resumed: boolean;
  /** Certificates that may have been made without their key being saved (a lost answer); review with `zaws orphan-certificates`. */
  certificatesToReview: number;
}

export type CleanupAnswer =
  | { projectUri: ProjectUri; confirmed: false; plan: CleanupPlan }
  | { projectUri: ProjectUri; confirmed: true; done: CleanupDone };

/**
 * Exactly one target: `thingName`, `thingNames`, `allThings` (needs projectUri) or `thingGroup`;
 * with none, the server targets the project's active thing.
 */
export interface StartFotaParams {
  projectUri?: ProjectUri;
  thingName?: string;
  thingNames?: string[];
  allThings?: boolean;
  thingGroup?: string;
  syncGroup?: boolean;
  /** File URI of the firmware JSON written by the toolchain's `link -J`. */
  firmwareUri: string;
  bucket: string;
  role: string;
  duration?: number;
  /** Rollout rate: at most this many things notified per minute (1-1000). */
  maxPerMinute?: number;
  /** Cancel the job when this share (percent) of finished executions failed. */
  abortFailedPercent?: number;
  abortMinExecuted?: number;
  /** Verify the job after starting it (the server's default: true). */
  verify?: boolean;
  /** Create the job even when the checks before it find devices could not run it. */
  force?: boolean;
}

export interface FotaFinding {
  /** Stable id, e.g. firmware.md5, role.trust. */
  check: string;
  message: string;
  hint: string;
  severity: 'error' | 'warning';
}

export interface FotaVerification {
  jobId: string;
  /** False when any finding is an error. */
  ok: boolean;
  passed: string[];
  findings: FotaFinding[];
  documentSource: string | null;
  firmwareUrl: string | null;
}

export interface FotaStarted {
  jobId: string;
  jobArn: string;
  /** The one thing targeted, else null. */
  thingName: string | null;
  things: string[];
  thingGroup: string | null;
  bucket: string;
  /** Null when verify was false. */
  verification: FotaVerification | null;
  /** The checks made before the job was created (not ok only when force created it). */
  preflight?: FotaVerification | null;
  forced?: boolean;
}

export interface JobIdParams {
  jobId: string;
}

export interface VerifyFotaParams extends JobIdParams {
  projectUri?: ProjectUri;
}

export interface ListFotaJobsParams {
  projectUri: ProjectUri;
  /** Ask AWS for each job's status (the server's default: true). */
  remote?: boolean;
}

/** Things per execution status, as AWS counts them; absent keys are zero. */
export interface FotaJobCounts {
  queued?: number;
  inProgress?: number;
  succeeded?: number;
  failed?: number;
  rejected?: number;
  canceled?: number;
  timedOut?: number;
  removed?: number;
}

export interface FotaJobSummary {
  jobId: string;
  /** Unix time. */
  startedAt: number;
  things: string[];
  thingGroup: string | null;
  /** IN_PROGRESS, CANCELED, COMPLETED, DELETION_IN_PROGRESS, ...; DELETED when AWS no longer has it; null when not asked. */
  status: string | null;
  counts: FotaJobCounts;
}

export interface FotaJobList {
  projectUri: ProjectUri;
  project: string;
  jobs: FotaJobSummary[];
}

export interface FotaExecution {
  thingName: string;
  targetArn: string;
  /** QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, ... */
  status: string;
  lastUpdated: string | null;
  /** What the device said with its last update, for executions that ended FAILED, REJECTED or TIMED_OUT. */
  statusDetails: Record<string, string> | null;
}

export interface FotaJobDetails {
  jobId: string;
  jobArn: string;
  status: string;
  targets: string[];
  description: string;
  createdAt: string | null;
  rollout: Record<string, unknown>;
  abort: Record<string, unknown>;
  urlValidity: number | null;
  counts: FotaJobCounts;
  executions: FotaExecution[];
}

export interface CancelFotaJobParams extends JobIdParams {
  /** Also cancel executions in progress. */
  force?: boolean;
  /** Without it the server refuses (ConfirmationRequired). */
  confirm?: boolean;
}

export interface FotaJobCancelled {
  jobId: string;
  previousStatus: string;
  status: string;
  force: boolean;
  /** Executions in progress that a cancel without force left running. */
  leftRunning: number;
}

export interface DeleteFotaJobParams extends JobIdParams {
  projectUri?: ProjectUri;
  /** Delete a job that is still in progress. */
  force?: boolean;
  confirm?: boolean;
}

export interface FotaJobDeleted {
  jobId: string;
  /** False: AWS had no such job any more. */
  existed: boolean;
  forgottenByProject: boolean;
}

export interface FotaSetupParams {
  bucket: string;
  role: string;
}

export interface FotaSetupDone {
  bucket: string;
  bucketRegion: string;
  bucketCreated: boolean;
  roleName: string;
  roleArn: string;
  roleCreated: boolean;
}

export interface ListThingsParams {
  projectUri: ProjectUri;
  /** Ask AWS whether each thing and certificate still exist (slower). */
  remote?: boolean;
}

export interface RemoteStatus {
  thingExists: boolean;
  /** ACTIVE, INACTIVE, REVOKED, ... or MISSING. */
  certificateStatus: string | null;
}

export interface ThingInfo {
  name: string;
  /** The thing's number in `<base>_<index>`; null for a name of another form. */
  index: number | null;
  certArn: string;
  active: boolean;
  /** Path of `.aws_things_resources/<name>`. */
  folder: string;
  /** Null unless listThings was asked with `remote: true`. */
  remote: RemoteStatus | null;
  /** Set when zaws revoked or deactivated the thing's certificate: such a thing cannot be made active. */
  certificateStatus?: 'INACTIVE' | 'REVOKED' | null;
}

export interface ThingList {
  projectUri: ProjectUri;
  project: string;
  baseName: string | null;
  activeThing: string | null;
  things: ThingInfo[];
  pendingAddThings: boolean;
}

export interface CreatePolicyParams {
  name: string;
  /** Application topics (or filters) every device may also use, e.g. dev/sample. */
  topics?: string[];
}

export interface PolicyCreated {
  name: string;
  arn: string;
  /** False when a policy of that name already existed (left untouched). */
  created: boolean;
}

/** Every request the client sends, with its params and result. */
export interface RequestMap {
  'zaws/createProject': { params: CreateProjectParams; result: ProjectCreated };
  'zaws/addThings': { params: AddThingsParams; result: ThingsAdded };
  'zaws/setActiveThing': { params: SetActiveThingParams; result: ActiveThing };
  'zaws/cleanup': { params: CleanupParams; result: CleanupAnswer };
  'zaws/removeThings': { params: RemoveThingsParams; result: RemoveThingsAnswer };
  'zaws/setCertificateStatus': { params: SetCertificateStatusParams; result: CertificateStatusChanged };
  'zaws/rotateCertificates': { params: RotateCertificatesParams; result: CertificatesRotated };
  'zaws/startFota': { params: StartFotaParams; result: FotaStarted };
  'zaws/listThings': { params: ListThingsParams; result: ThingList };
  'zaws/createPolicy': { params: CreatePolicyParams; result: PolicyCreated };
  'zaws/fotaSetup': { params: FotaSetupParams; result: FotaSetupDone };
  'zaws/listFotaJobs': { params: ListFotaJobsParams; result: FotaJobList };
  'zaws/describeFotaJob': { params: JobIdParams; result: FotaJobDetails };
  'zaws/verifyFota': { params: VerifyFotaParams; result: FotaVerification };
  'zaws/cancelFotaJob': { params: CancelFotaJobParams; result: FotaJobCancelled };
  'zaws/deleteFotaJob': { params: DeleteFotaJobParams; result: FotaJobDeleted };
  'zaws/startDevices': { params: StartDevicesParams; result: DevicesStarted };
  'zaws/stopDevices': { params: StopDevicesParams; result: DevicesStopped };
  'zaws/listDevices': { params: ListDevicesParams; result: DeviceList };
  'zaws/checkDevice': { params: CheckDeviceParams; result: DeviceCheck };
  'zaws/subscribe': { params: SubscribeParams; result: Subscribed };
  'zaws/unsubscribe': { params: UnsubscribeParams; result: Unsubscribed };
}

export type Method = keyof RequestMap;
export type ParamsOf<M extends Method> = RequestMap[M]['params'];
export type ResultOf<M extends Method> = RequestMap[M]['result'];

export const METHODS: readonly Method[] = [
  'zaws/createProject',
  'zaws/addThings',
  'zaws/setActiveThing',
  'zaws/cleanup',
  'zaws/removeThings',
  'zaws/setCertificateStatus',
  'zaws/rotateCertificates',
  'zaws/startFota',
  'zaws/listThings',
  'zaws/createPolicy',
  'zaws/fotaSetup',
  'zaws/listFotaJobs',
  'zaws/describeFotaJob',
  'zaws/verifyFota',
  'zaws/cancelFotaJob',
  'zaws/deleteFotaJob',
];

/** Methods that report work-done progress (a `workDoneToken` param): `x-long` in the contract. */
export const LONG_METHODS: readonly Method[] = ['zaws/addThings', 'zaws/cleanup', 'zaws/removeThings', 'zaws/rotateCertificates'];

/** Server -> client: a project's things changed (by a request, or by the CLI in a terminal). */
export const THINGS_CHANGED = 'zaws/thingsChanged';
export interface ThingsChangedParams {
  projectUri: ProjectUri;
}

/** Server -> client: a project's FOTA jobs changed (started, cancelled, deleted). */
export const FOTA_JOBS_CHANGED = 'zaws/fotaJobsChanged';
export interface FotaJobsChangedParams {
  projectUri: ProjectUri;
}

/** What the server receives as initializationOptions and, nested under `zaws`, in didChangeConfiguration. */
export interface ServerSettings {
  profile: string | null;
  region: string | null;
  endpointUrl: string | null;
  local: boolean;
  /** Diagnostics that ask AWS (policy exists, certificate ACTIVE...). */
  remoteChecks: boolean;
}

/**
 * Commands the server names in its code lenses. The client registers them (they prompt, then call
 * sendRequest), so the server must NOT advertise them in executeCommandProvider: an id registered
 * twice makes activation fail.
 */
export const LENS_COMMANDS = {
  switchActiveThing: 'zaws.lens.switchActiveThing',
  addThings: 'zaws.lens.addThings',
  startFota: 'zaws.lens.startFota',
} as const;

/** Arguments a code lens may carry: `{projectUri, thingName?}` or positional `(projectUri, thingName?)`. */
export interface LensArgs {
  projectUri?: ProjectUri;
  thingName?: string;
}

export function lensArgs(args: unknown[]): LensArgs {
  const [first, second] = args;
  if (typeof first === 'string') {
    return { projectUri: first, thingName: typeof second === 'string' ? second : undefined };
  }
  if (first && typeof first === 'object') {
    const o = first as Record<string, unknown>;
    return {
      projectUri: typeof o.projectUri === 'string' ? o.projectUri : undefined,
      thingName: typeof o.thingName === 'string' ? o.thingName : undefined,
    };
  }
  return {};
}

/** JSON-RPC error codes of zaws errors (`components.errors` in the contract). */
export const ErrorCodes = {
  invalidInput: -32011,
  project: -32012,
  notFound: -32013,
  credentials: -32014,
  remote: -32015,
  busy: -32016,
  confirmationRequired: -32017,
  requestCancelled: -32800,
} as const;

/** The stable kind in an error's `data.code` (ErrorData in the contract); preferred over the number. */
export const ErrorKinds = {
  credentials: 'zaws.credentials',
  cancelled: 'zaws.cancelled',
} as const;
