/**
 * The client against the contract, protocol/openrpc.json: every request the commands really send
 * (recorded from their flows with a fake server) validates against the method's params; every
 * answer the tests feed the commands validates against the method's result, so the fields the
 * client reads exist; method names, the notification, the code-lens command ids and the error codes
 * agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { addThings } from '../src/commands/addThings';
import { KEYS, REGISTRATION } from '../src/commands/keySource';
import { cleanup } from '../src/commands/cleanup';
import { removeThings } from '../src/commands/removeThings';
import { DEACTIVATE_LABEL, revokeCertificate } from '../src/commands/revokeCertificate';
import { activateCertificate } from '../src/commands/activateCertificate';
import { KEEP_OLD_LABEL, rotateCertificates } from '../src/commands/rotateCertificates';
import { createPolicy } from '../src/commands/createPolicy';
import { createProject } from '../src/commands/createProject';
import { setActiveThing } from '../src/commands/setActiveThing';
import { startFota } from '../src/commands/startFota';
import { fotaSetup } from '../src/commands/fotaSetup';
import { cancelJob, deleteJob, describeJob, verifyJob } from '../src/commands/fotaJobs';
import { ErrorCodes, ErrorKinds, FOTA_JOBS_CHANGED, LENS_COMMANDS, LONG_METHODS, METHODS, THINGS_CHANGED, type Method } from '../src/core/protocol';
import { activeThing, added, certificateChanged, created, fotaStarted, jobDetails, jobSummary, P, plan, removeAnswer, rotated, setupDone, thingList, things, verification } from './commands/answers';
import { fakeDeps, type Sent } from './commands/fakes';

interface ContentDescriptor {
  name?: string;
  required?: boolean;
  schema?: unknown;
  $ref?: string;
}

interface OpenRpc {
  methods: { name: string; params: ContentDescriptor[]; result: { schema: unknown }; 'x-long'?: boolean }[];
  components: { contentDescriptors: Record<string, ContentDescriptor>; errors: Record<string, { code: number }>; schemas?: Record<string, unknown> };
  'x-notifications': { name: string; params: ContentDescriptor[] }[];
  'x-codeLensCommands': { id: string }[];
}

// Tests run from out/test: the repository's protocol folder is two levels above vscode-client.
const contractPath = join(__dirname, '..', '..', '..', 'protocol', 'openrpc.json');
const contract = JSON.parse(readFileSync(contractPath, 'utf8')) as OpenRpc;
const CONTRACT_ID = 'zaws-openrpc';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(contract, CONTRACT_ID);

/** `#/components/...` refs point into the contract document registered above. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${CONTRACT_ID}${value}` : rebase(value)]));
  }
  return schema;
}

function descriptor(d: ContentDescriptor): ContentDescriptor {
  if (!d.$ref) return d;
  const name = d.$ref.split('/').pop()!;
  return contract.components.contentDescriptors[name]!;
}

function method(name: string) {
  const m = contract.methods.find((x) => x.name === name);
  assert.ok(m, `${name} is in the contract`);
  return m;
}

const validators = new Map<string, { params: ValidateFunction; result: ValidateFunction }>();
function validatorsFor(name: string) {
  let v = validators.get(name);
  if (!v) {
    const m = method(name);
    const params = m.params.map(descriptor);
    const paramsSchema = {
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name!, rebase(p.schema)])),
      required: params.filter((p) => p.required).map((p) => p.name!),
      additionalProperties: false,
    };
    v = { params: ajv.compile(paramsSchema), result: ajv.compile(rebase(m.result.schema) as object) };
    validators.set(name, v);
  }
  return v;
}

function checkParams(sent: Sent): void {
  const validate = validatorsFor(sent.method).params;
  // server.ts adds a workDoneToken to requests that want progress reports.
  const params = sent.hadProgress ? { ...(sent.params as object), workDoneToken: 'token-1' } : sent.params;
  assert.ok(validate(params), `${sent.method} params ${JSON.stringify(params)}: ${ajv.errorsText(validate.errors)}`);
}

function checkResult(name: Method, result: unknown): void {
  const validate = validatorsFor(name).result;
  assert.ok(validate(result), `${name} result ${JSON.stringify(result)}: ${ajv.errorsText(validate.errors)}`);
}

test('every method the client calls is in the contract', () => {
  const known = new Set(contract.methods.map((m) => m.name));
  for (const name of METHODS) assert.ok(known.has(name), `${name} is in protocol/openrpc.json`);
});

test('of the methods the client calls, the ones with work-done progress are the long ones', () => {
  const long = contract.methods.filter((m) => m['x-long'] && METHODS.includes(m.name as Method)).map((m) => m.name);
  assert.deepEqual([...LONG_METHODS].sort(), long.sort());
});

test('the notifications, the code-lens commands and the error codes agree', () => {
  for (const name of [THINGS_CHANGED, FOTA_JOBS_CHANGED]) {
    const notification = contract['x-notifications'].find((n) => n.name === name);
    assert.ok(notification, `${name} is in the contract`);
    // The client reads only projectUri (ThingsChangedParams, FotaJobsChangedParams).
    assert.deepEqual(notification.params.map((p) => [p.name, p.required]), [['projectUri', true]]);
  }
  assert.deepEqual(contract['x-codeLensCommands'].map((c) => c.id).sort(), Object.values(LENS_COMMANDS).sort());
  const codes = contract.components.errors;
  assert.equal(codes.CredentialsMissing?.code, ErrorCodes.credentials);
  assert.equal(codes.RequestCancelled?.code, ErrorCodes.requestCancelled);
  assert.equal(codes.InvalidInput?.code, ErrorCodes.invalidInput);
  assert.equal(codes.ConfirmationRequired?.code, ErrorCodes.confirmationRequired);
  const kinds = JSON.stringify(contract.components.schemas?.ErrorData ?? {});
  for (const kind of Object.values(ErrorKinds)) assert.ok(kinds.includes(kind), `${kind} is a documented data.code`);
});

test("the fake server's answers are valid results, so the client reads fields that exist", () => {
  checkResult('zaws/createProject', created('file:///ws', 'blink'));
  checkResult('zaws/createPolicy', { name: 'ZerynthThing', arn: 'arn:aws:iot:us-east-1:123456789012:policy/ZerynthThing', created: true });
  checkResult('zaws/addThings', added(['dev_0'], 'dev_0'));
  checkResult('zaws/addThings', { ...added(['dev_0', 'dev_1']), orphanCertificatesDeleted: 0, csrFiles: [{ thing: 'dev_0', csrFile: 'a.csr' }, { thing: 'dev_1', csrFile: 'b.der' }], bulkTaskId: 'task-1', bucket: 'zaws-bulk-registration-123456789012-us-east-1', bucketCreated: true });
  checkResult('zaws/addThings', { ...added(['dev_0']), orphanCertificatesDeleted: 0, csrFiles: [], bulkTaskId: null, bucket: null, bucketCreated: false });
  checkResult('zaws/setActiveThing', activeThing('dev_1'));
  checkResult('zaws/listThings', thingList(things(3)));
  checkResult('zaws/listThings', thingList([{ ...things(1)[0]!, remote: { thingExists: true, certificateStatus: 'ACTIVE' } }]));
  checkResult('zaws/listThings', thingList([{ ...things(1)[0]!, certificateStatus: 'REVOKED' }, { ...things(2)[1]!, certificateStatus: 'INACTIVE' }, { ...things(3)[2]!, certificateStatus: null }]));
  checkResult('zaws/removeThings', removeAnswer(['dev_0', 'dev_1'], false, { kept: { dev_1: 'made by another zaws project' }, activeThingRemoved: true }));
  checkResult('zaws/removeThings', removeAnswer(['dev_0', 'dev_1'], true, { kept: { dev_1: 'made by another zaws project' }, activeThingRemoved: true }));
  checkResult('zaws/setCertificateStatus', certificateChanged('dev_0', 'REVOKED'));
  checkResult('zaws/setCertificateStatus', certificateChanged('dev_0', 'ACTIVE', 'INACTIVE'));
  checkResult('zaws/rotateCertificates', rotated(['dev_0', 'dev_1']));
  checkResult('zaws/rotateCertificates', rotated(['dev_0'], true, { resumed: true, certificatesToReview: 2 }));
  checkResult('zaws/cleanup', { projectUri: P, confirmed: false, plan });
  checkResult('zaws/cleanup', { projectUri: P, confirmed: true, done: { project: '/ws/blink', thingsDeleted: ['dev_0'], certificatesDeleted: 1, thingsKept: [], certificatesToReview: 0, localPathsRemoved: [] } });
  checkResult('zaws/startFota', fotaStarted('fota-dev_1-1', ['dev_1']));
  checkResult('zaws/startFota', fotaStarted('fota-blink-1', ['dev_0', 'dev_1'], false));
  checkResult('zaws/startFota', { ...fotaStarted('fota-blink-1', ['dev_0']), verification: null });
  checkResult('zaws/fotaSetup', setupDone('fw-bucket', 'iot-fota'));
  checkResult('zaws/listFotaJobs', { projectUri: P, project: '/ws/blink', jobs: [jobSummary('fota-blink-1'), jobSummary('fota-blink-0', null, {}), jobSummary('fota-blink-2', 'DELETED', {})] });
  checkResult('zaws/describeFotaJob', jobDetails('fota-blink-1', 'IN_PROGRESS', { queued: 1, inProgress: 2 }));
  checkResult('zaws/verifyFota', verification('fota-blink-1'));
  checkResult('zaws/verifyFota', verification('fota-blink-1', false));
  checkResult('zaws/cancelFotaJob', { jobId: 'fota-blink-1', previousStatus: 'IN_PROGRESS', status: 'CANCELED', force: true, leftRunning: 0 });
  checkResult('zaws/deleteFotaJob', { jobId: 'fota-blink-1', existed: true, forgottenByProject: true });
});

test('every request the commands send is valid against the contract', async () => {
  const { deps, api, ui } = fakeDeps({
    answers: [
      'blink', 'file:///ws', 'abc-ats.iot.us-east-1.amazonaws.com', 'ZerynthThing', // createProject
      'ZerynthThing', // createPolicy
      KEYS.aws, '3', 'dev', // addThings on a new project
      KEYS.aws, '2', '', // addThings, keeping the base
      KEYS.ecP384, '1', REGISTRATION.perThing, '', // addThings, keys made here
      KEYS.csr, 'file:///ws/csrs', REGISTRATION.perThing, '', // addThings from CSRs
      KEYS.rsa2048, '2', REGISTRATION.bulk, 'my-bucket', '', // addThings in bulk, a bucket given
      KEYS.csr, 'file:///ws/csrs', REGISTRATION.bulk, '', 'dev', // addThings in bulk from CSRs, zaws's bucket
      'dev_1', // setActiveThing
      'One thing…', (items) => items[0]?.value, 'file:///ws/blink/fw.json', 'fw-bucket', 'iot-fota', '600', // startFota, one thing
      'fw-bucket', 'iot-fota', // fotaSetup
      'All things of the project', 'file:///ws/blink/fw.json', 'fw-bucket', 'iot-fota', '600', '10', // startFota, the project
      'Choose things…', 'dev_0,dev_2', 'file:///ws/blink/fw.json', 'fw-bucket', 'iot-fota', '3600', '', // startFota, several
      'fota-blink-1', // verifyJob from the palette
      'fota-blink-1', // describeJob from the palette
    ],
    responders: {
      'zaws/createProject': (p) => created(p.parentUri, p.name),
      'zaws/createPolicy': (p) => ({ name: p.name, arn: 'arn', created: true }),
      'zaws/listThings': () => thingList(api.sent.filter((s) => s.method === 'zaws/addThings').length ? things(3) : []),
      'zaws/addThings': (p) => added(Array.from({ length: p.count ?? 1 }, (_, i) => `dev_${i}`)),
      'zaws/setActiveThing': (p) => activeThing(p.thingName ?? ''),
      'zaws/cleanup': (p) => (p.confirm
        ? { projectUri: P, confirmed: true, done: { project: '/ws/blink', thingsDeleted: [], certificatesDeleted: 0, thingsKept: [], certificatesToReview: 0, localPathsRemoved: [] } }
        : { projectUri: P, confirmed: false, plan }),
      'zaws/startFota': (p) => fotaStarted('fota-blink-1', p.thingName ? [p.thingName] : (p.thingNames ?? ['dev_0', 'dev_1', 'dev_2'])),
      'zaws/fotaSetup': (p) => setupDone(p.bucket, p.role),
      'zaws/listFotaJobs': () => ({ projectUri: P, project: '/ws/blink', jobs: [jobSummary('fota-blink-1')] }),
      'zaws/describeFotaJob': (p) => jobDetails(p.jobId, 'IN_PROGRESS', { queued: 1, inProgress: 2 }),
      'zaws/verifyFota': (p) => verification(p.jobId),
      'zaws/cancelFotaJob': (p) => ({ jobId: p.jobId, previousStatus: 'IN_PROGRESS', status: 'CANCELED', force: p.force ?? false, leftRunning: 0 }),
      'zaws/deleteFotaJob': (p) => ({ jobId: p.jobId, existed: true, forgottenByProject: true }),
      'zaws/removeThings': (p) => removeAnswer(p.thingNames, p.confirm),
      'zaws/setCertificateStatus': (p) => certificateChanged(p.thingName, p.status),
      'zaws/rotateCertificates': (p) => rotated(p.thingNames, p.keepOld),
    },
  });
  await createProject(deps);
  await createPolicy(deps);
  for (let run = 0; run < 6; run += 1) await addThings(deps);
  await setActiveThing(deps);
  await startFota(deps);
  await fotaSetup(deps);
  await startFota(deps, P, 'dev_0');
  await startFota(deps);
  await verifyJob(deps);
  await describeJob(deps);
  const job = { projectUri: P, job: jobSummary('fota-blink-1') };
  await cancelJob(deps, job);
  ui.chooseAnswer = (labels) => labels.at(-1);
  await cancelJob(deps, job);
  await deleteJob(deps, job);
  await deleteJob(deps, { projectUri: P, job: jobSummary('fota-blink-0', 'CANCELED', { canceled: 3 }) });
  await removeThings(deps, P, ['dev_1', 'dev_2']);
  ui.chooseAnswer = (labels) => labels[0];
  await revokeCertificate(deps, P, things(3)[1]!);
  ui.chooseAnswer = (labels) => labels.find((l) => l === DEACTIVATE_LABEL);
  await revokeCertificate(deps, P, things(3)[2]!);
  await activateCertificate(deps, P, { ...things(3)[2]!, certificateStatus: 'INACTIVE' });
  ui.chooseAnswer = (labels) => labels[0];
  await rotateCertificates(deps, P, [{ ...things(3)[0]!, certificateStatus: 'REVOKED' }]);
  ui.chooseAnswer = (labels) => labels.find((l) => l === KEEP_OLD_LABEL);
  await rotateCertificates(deps, P, things(3).slice(1));
  await cleanup(deps);
  assert.equal(ui.unused, 0);
  const methods = new Set(api.sent.map((s) => s.method));
  assert.deepEqual([...methods].sort(), [...METHODS].sort(), 'the flows above send every method');
  for (const sent of api.sent) checkParams(sent);
});

test('the contract check catches a wrong param', () => {
  assert.throws(() => checkParams({ method: 'zaws/addThings', params: { projectUri: P, count: '3' }, hadToken: false, hadProgress: false }), /count/);
  assert.throws(() => checkParams({ method: 'zaws/addThings', params: { projectUri: P, keys: 'local', keyType: 'ec-p521' }, hadToken: false, hadProgress: false }), /keyType/);
  assert.throws(() => checkParams({ method: 'zaws/addThings', params: { projectUri: P, bulk: true, bucketName: 'b' }, hadToken: false, hadProgress: false }), /additional/);
  assert.throws(() => checkParams({ method: 'zaws/createPolicy', params: { name: 'x', projectUri: P }, hadToken: false, hadProgress: false }), /additional/);
  assert.throws(() => checkParams({ method: 'zaws/startFota', params: { projectUri: P, allThings: true, firmwareUri: 'file:///fw.json', bucket: 'b', role: 'r', maxPerMinute: 0 }, hadToken: false, hadProgress: false }), /maxPerMinute/);
  assert.throws(() => checkParams({ method: 'zaws/cancelFotaJob', params: { jobId: '' }, hadToken: false, hadProgress: false }), /jobId/);
  assert.throws(() => checkParams({ method: 'zaws/removeThings', params: { projectUri: P, thingNames: [] }, hadToken: false, hadProgress: false }), /thingNames/);
  assert.throws(() => checkParams({ method: 'zaws/setCertificateStatus', params: { projectUri: P, thingName: 'dev_0', status: 'DELETED' }, hadToken: false, hadProgress: false }), /status/);
  assert.throws(() => checkParams({ method: 'zaws/rotateCertificates', params: { projectUri: P, thingNames: [] }, hadToken: false, hadProgress: false }), /thingNames/);
  assert.throws(() => checkParams({ method: 'zaws/rotateCertificates', params: { projectUri: P, thingNames: ['dev_0'], keepOld: 'yes' }, hadToken: false, hadProgress: false }), /keepOld/);
});
