/** Each command's flow, as a user session against a scripted Ui and a fake server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addThings } from '../../src/commands/addThings';
import { KEYS, REGISTRATION } from '../../src/commands/keySource';
import { cleanup, planText } from '../../src/commands/cleanup';
import { createProject } from '../../src/commands/createProject';
import { createPolicy } from '../../src/commands/createPolicy';
import { runCommand } from '../../src/commands/run';
import { selectProfile, useLocalEmulator } from '../../src/commands/awsTarget';
import { setActiveThing } from '../../src/commands/setActiveThing';
import { SHOW_VERIFICATION, startFota } from '../../src/commands/startFota';
import { fotaDefaults, fotaSetup } from '../../src/commands/fotaSetup';
import { CANCEL_LABEL, cancelJob, deleteJob, describeJob, FORCE_CANCEL_LABEL, verifyJob } from '../../src/commands/fotaJobs';
import { optionalRolloutRate } from '../../src/core/validation';
import { copyCertArn, revealResources } from '../../src/commands/thingActions';
import { removeThings } from '../../src/commands/removeThings';
import { DEACTIVATE_LABEL, REVOKE_LABEL, revokeCertificate } from '../../src/commands/revokeCertificate';
import { activateCertificate } from '../../src/commands/activateCertificate';
import { KEEP_OLD_LABEL, ROTATE_LABEL, rotateCertificates, rotatedText } from '../../src/commands/rotateCertificates';
import { selectedThings, type ProjectNode, type ThingNode } from '../../src/tree/nodes';
import { activeThing, added, certificateChanged, created, fotaStarted, jobDetails, jobSummary, P, plan, removeAnswer, rotated, setupDone, thingList, things, verification } from './answers';
import { fakeDeps, settle } from './fakes';

test('create project: name, folder, endpoint, policy; then the tree refreshes', async () => {
  const { deps, ui, api, views } = fakeDeps({
    answers: ['blink', 'file:///ws', 'abc-ats.iot.us-east-1.amazonaws.com', ''],
    responders: { 'zaws/createProject': (p) => created(p.parentUri, p.name) },
  });
  ui.infoAction = 'Show in Tree';
  const project = await createProject(deps);
  await settle();
  assert.equal(project.projectUri, 'file:///ws/blink');
  assert.deepEqual(api.sent.map((s) => s.params), [{ name: 'blink', parentUri: 'file:///ws', endpoint: 'abc-ats.iot.us-east-1.amazonaws.com' }]);
  assert.deepEqual(views.refreshed, [undefined]);
  assert.deepEqual(views.revealed, [{ projectUri: 'file:///ws/blink', thingName: undefined }]);
  assert.equal(ui.unused, 0);
});

test('create project outside the workspace offers to add it', async () => {
  const { deps, ui, projects } = fakeDeps({
    answers: ['blink', 'file:///elsewhere', '', 'MyPolicy'],
    responders: { 'zaws/createProject': (p) => created(p.parentUri, p.name) },
  });
  ui.infoAction = 'Add to Workspace';
  await createProject(deps);
  await settle();
  assert.deepEqual(projects.added, ['file:///elsewhere/blink']);
  assert.match(ui.infos[0] ?? '', /outside the workspace/);
});

test('a dismissed prompt ends the command quietly, before any request', async () => {
  const { deps, ui, api } = fakeDeps({ answers: ['blink', undefined] });
  const result = await runCommand(deps, 'Creating the project', () => createProject(deps));
  assert.equal(result, undefined);
  assert.equal(api.sent.length, 0);
  assert.deepEqual(ui.errors, []);
});

test('add things to a new project: the base name is required, progress is cancellable', async () => {
  const { deps, ui, api, views } = fakeDeps({
    answers: [KEYS.aws, '3', 'dev'],
    responders: {
      'zaws/listThings': () => thingList([]),
      'zaws/addThings': (p, options) => {
        options.onProgress?.({ kind: 'begin', title: 'Adding', percentage: 0 });
        options.onProgress?.({ kind: 'report', message: '2/3 things', percentage: 66 });
        return added(['dev_0', 'dev_1', 'dev_2'], 'dev_0');
      },
    },
  });
  ui.infoAction = 'Show in Tree';
  const result = await addThings(deps);
  await settle();
  assert.deepEqual(result.things, ['dev_0', 'dev_1', 'dev_2']);
  const request = api.sent.find((s) => s.method === 'zaws/addThings');
  assert.deepEqual(request?.params, { projectUri: P, count: 3, baseName: 'dev' });
  assert.equal(request?.hadToken, true, 'the progress Cancel button reaches the request');
  assert.equal(request?.hadProgress, true, 'work-done reports reach the notification');
  assert.deepEqual(ui.progressTitles, ['Adding 3 things to blink']);
  assert.deepEqual(ui.progressSteps, [{ message: '2/3 · 2/3 things', increment: 66 }]);
  assert.deepEqual(ui.asked, ['Add Things (1/3): Keys', 'Add Things (2/3)', 'Add Things (3/3)']);
  assert.equal(ui.infos[0], 'Added 3 things to blink: dev_0, dev_1, dev_2. Keys made by AWS.');
  assert.deepEqual(views.revealed, [{ projectUri: P, thingName: 'dev_0' }]);
  assert.deepEqual(views.refreshed, [P]);
});

test('add things: an empty base name is refused for a project without things', async () => {
  const { deps } = fakeDeps({ answers: [KEYS.aws, '1', ''], responders: { 'zaws/listThings': () => thingList([]) } });
  await assert.rejects(addThings(deps), /base name is required/);
});

test('add things: an empty base name keeps the project base once it has things', async () => {
  const { deps, api } = fakeDeps({
    answers: [KEYS.aws, '2', ''],
    responders: {
      'zaws/listThings': () => thingList(things(3)),
      'zaws/addThings': () => added(['dev_3', 'dev_4']),
    },
  });
  await addThings(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, count: 2 });
});

test('add things with keys made here: EC P-256 sends keys local and its key type, one call per thing', async () => {
  const { deps, ui, api } = fakeDeps({
    answers: [KEYS.ecP256, '2', REGISTRATION.perThing, 'dev'],
    responders: { 'zaws/listThings': () => thingList([]), 'zaws/addThings': () => added(['dev_0', 'dev_1'], 'dev_0') },
  });
  await addThings(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, count: 2, baseName: 'dev', keys: 'local', keyType: 'ec-p256' });
  assert.deepEqual(ui.asked, ['Add Things (1/3): Keys', 'Add Things (2/4)', 'Add Things (3/4): Registration', 'Add Things (4/4)']);
  assert.equal(ui.infos[0], 'Added 2 things to blink: dev_0, dev_1. Keys made here (EC P-256), in each thing\'s folder.');
  assert.equal(ui.unused, 0);
});

test('add things: each key made here sends its own key type', async () => {
  for (const [label, keyType] of [[KEYS.ecP384, 'ec-p384'], [KEYS.rsa2048, 'rsa-2048']] as const) {
    const { deps, api } = fakeDeps({
      answers: [label, '1', REGISTRATION.perThing, ''],
      responders: { 'zaws/listThings': () => thingList(things(1)), 'zaws/addThings': () => added(['dev_1']) },
    });
    await addThings(deps);
    assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, count: 1, keys: 'local', keyType });
  }
});

test('add things from a folder of CSRs: csrDir and no count (one thing per file); the result says which file became which thing', async () => {
  const { deps, ui, api } = fakeDeps({
    answers: [KEYS.csr, 'file:///ws/csrs', REGISTRATION.perThing, 'dev'],
    responders: {
      'zaws/listThings': () => thingList([]),
      'zaws/addThings': () => ({
        ...added(['dev_0', 'dev_1', 'dev_2', 'dev_3'], 'dev_0'),
        csrFiles: ['a.csr', 'b.csr', 'c.der', 'd.pem'].map((csrFile, i) => ({ thing: `dev_${i}`, csrFile })),
      }),
    },
  });
  await addThings(deps);
  const request = api.sent.at(-1);
  assert.deepEqual(request?.params, { projectUri: P, baseName: 'dev', csrDir: 'file:///ws/csrs' });
  assert.equal(request?.hadProgress, true);
  assert.deepEqual(ui.asked, ['Add Things (1/3): Keys', 'Add Things (2/4): the folder of CSRs, one thing per file', 'Add Things (3/4): Registration', 'Add Things (4/4)']);
  assert.deepEqual(ui.progressTitles, ['Adding things from CSRs to blink']);
  assert.equal(ui.infos[0], 'Added 4 things to blink: dev_0, dev_1, dev_2, dev_3. Keys stay on the devices; certificates for a.csr → dev_0, b.csr → dev_1, c.der → dev_2 and 1 more.');
});

test('add things in bulk: bulk and the bucket given; the result names the task', async () => {
  const { deps, ui, api } = fakeDeps({
    answers: [KEYS.ecP256, '500', REGISTRATION.bulk, 'my-bucket', 'dev'],
    responders: {
      'zaws/listThings': () => thingList([]),
      'zaws/addThings': (p) => ({ ...added(Array.from({ length: p.count ?? 1 }, (_, i) => `dev_${i}`)), bulkTaskId: 'task-1', bucket: 'my-bucket', bucketCreated: false }),
    },
  });
  await addThings(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, count: 500, baseName: 'dev', keys: 'local', keyType: 'ec-p256', bulk: true, bucket: 'my-bucket' });
  assert.deepEqual(ui.asked, ['Add Things (1/3): Keys', 'Add Things (2/4)', 'Add Things (3/4): Registration', 'Add Things (4/5): bucket', 'Add Things (5/5)']);
  assert.match(ui.infos[0] ?? '', /^Added 500 things to blink: dev_0, .* and 495 more\. Keys made here \(EC P-256\), in each thing's folder\. Registered by bulk task task-1\.$/);
});

test('add things in bulk from CSRs without a bucket: none sent; the result says zaws created one', async () => {
  const { deps, ui, api } = fakeDeps({
    answers: [KEYS.csr, 'file:///ws/csrs', REGISTRATION.bulk, '', ''],
    responders: {
      'zaws/listThings': () => thingList(things(2)),
      'zaws/addThings': () => ({ ...added(['dev_2']), csrFiles: [{ thing: 'dev_2', csrFile: 'x.pem' }], bulkTaskId: 'task-2', bucket: 'zaws-bulk-registration-123456789012-us-east-1', bucketCreated: true }),
    },
  });
  await addThings(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, csrDir: 'file:///ws/csrs', bulk: true });
  assert.equal(ui.infos[0], 'Added 1 thing to blink: dev_2. Keys stay on the devices; certificates for x.pem → dev_2. Registered by bulk task task-2; zaws created bucket zaws-bulk-registration-123456789012-us-east-1 for its input file.');
});

test('add things: the bulk bucket is validated as an S3 bucket name', async () => {
  const { deps } = fakeDeps({ answers: [KEYS.ecP256, '1', REGISTRATION.bulk, 'Bad_Bucket'], responders: { 'zaws/listThings': () => thingList([]) } });
  await assert.rejects(addThings(deps), /Lowercase letters/);
});

test('add things: dismissing any of the new prompts sends nothing', async () => {
  const scripts: (string | undefined)[][] = [
    [undefined], // Keys
    [KEYS.csr, undefined], // the CSR folder
    [KEYS.ecP256, '2', undefined], // Registration
    [KEYS.ecP256, '2', REGISTRATION.bulk, undefined], // the bucket
    [KEYS.csr, 'file:///ws/csrs', REGISTRATION.bulk, '', undefined], // the base name after them
  ];
  for (const answers of scripts) {
    const { deps, ui, api } = fakeDeps({ answers, responders: { 'zaws/listThings': () => thingList([]) } });
    assert.equal(await runCommand(deps, 'Adding things', () => addThings(deps)), undefined);
    assert.deepEqual(api.sent.map((s) => s.method), ['zaws/listThings'], `nothing added after ${JSON.stringify(answers)}`);
    assert.deepEqual(ui.errors, []);
    assert.equal(ui.unused, 0, `every answer of ${JSON.stringify(answers)} was asked for`);
  }
});

test('set active thing: a quick pick of the things, then the request', async () => {
  const { deps, api, ui, views } = fakeDeps({
    answers: ['dev_2'],
    responders: {
      'zaws/listThings': () => thingList(things(3)),
      'zaws/setActiveThing': (p) => activeThing(p.thingName ?? ''),
    },
  });
  await setActiveThing(deps);
  assert.deepEqual(api.sent.at(-1), { method: 'zaws/setActiveThing', params: { projectUri: P, thingName: 'dev_2' }, hadToken: false, hadProgress: false });
  assert.deepEqual(views.refreshed, [P]);
  assert.deepEqual(ui.infos, ['Active thing: dev_2.']);
});

test('with several projects the user picks one; with none the command explains', async () => {
  const two = fakeDeps({
    answers: ['b', 'dev_0'],
    projects: [{ uri: 'file:///ws/a', name: 'a' }, { uri: 'file:///ws/b', name: 'b' }],
    responders: {
      'zaws/listThings': (p) => thingList(things(1), p.projectUri),
      'zaws/setActiveThing': () => activeThing('dev_0'),
    },
  });
  await setActiveThing(two.deps);
  assert.equal((two.api.sent.at(-1)?.params as { projectUri: string }).projectUri, 'file:///ws/b');

  const none = fakeDeps({ projects: [] });
  await runCommand(none.deps, 'Adding things', () => addThings(none.deps));
  assert.match(none.ui.errors[0]?.message ?? '', /No Zerynth AWS project/);
});

test('cleanup: the plan is shown in a modal; nothing is deleted without confirmation', async () => {
  const { deps, ui, api } = fakeDeps({ responders: { 'zaws/cleanup': () => ({ projectUri: P, confirmed: false, plan }) } });
  ui.confirmAnswer = false;
  assert.equal(await cleanup(deps), undefined);
  assert.deepEqual(api.sent.map((s) => s.params), [{ projectUri: P }]);
  assert.match(ui.confirmations[0]?.message ?? '', /Clean up project blink\?/);
  assert.match(ui.confirmations[0]?.detail ?? '', /In AWS: 2 things \(dev_0, dev_1\) and 2 certificates/);
  assert.match(ui.confirmations[0]?.detail ?? '', /On disk:\n {2}\.aws_things_resources\n {2}\.zawsconf\n {2}certificate\.pem\.crt\n {2}private\.pem\.key$/);
});

test('cleanup: confirmed, it sends confirm: true under progress', async () => {
  const { deps, ui, api } = fakeDeps({
    responders: {
      'zaws/cleanup': (p) => (p.confirm
        ? { projectUri: P, confirmed: true, done: { project: '/ws/blink', thingsDeleted: ['dev_0', 'dev_1'], certificatesDeleted: 2, thingsKept: [], certificatesToReview: 0, localPathsRemoved: plan.localPaths } }
        : { projectUri: P, confirmed: false, plan }),
    },
  });
  await cleanup(deps);
  assert.deepEqual(api.sent.map((s) => s.params), [{ projectUri: P }, { projectUri: P, confirm: true }]);
  assert.equal(api.sent[1]?.hadToken, true);
  assert.deepEqual(ui.infos, ['Cleaned up blink: deleted 2 things and 2 certificates.']);
});

test('the cleanup plan text is capped', () => {
  const text = planText({ ...plan, localPaths: Array.from({ length: 30 }, (_, i) => `f${i}`) }, 5);
  assert.match(text, /… and 25 more/);
  assert.equal(text.split('\n').length, 1 + 1 + 5 + 1);
});

test('the cleanup plan names the things it keeps in AWS and the certificates left for review', () => {
  const text = planText({
    ...plan,
    targets: [
      { thingName: 'dev_0', certArns: ['arn:c0'], recorded: true, thingAction: 'delete', reason: null },
      { thingName: 'dev_1', certArns: ['arn:c1'], recorded: true, thingAction: 'keep', reason: 'made by another zaws project' },
    ],
    certificatesToReview: ['abc'],
  });
  assert.match(text, /^In AWS: 1 thing \(dev_0\) and 2 certificates\./);
  assert.match(text, /Kept in AWS .*: 1 thing\n {2}dev_1: made by another zaws project/);
  assert.match(text, /1 certificate may have lost its key/);
});

test('start FOTA from the palette: one thing (the active one first), firmware, bucket, role, duration; the verification is shown', async () => {
  const { deps, api, ui, views } = fakeDeps({
    answers: ['One thing…', (items) => items[0]?.value, 'file:///ws/blink/fw.json', 'fw-bucket', 'iot-fota', '600'],
    responders: {
      'zaws/listThings': () => thingList(things(3, 2)),
      'zaws/startFota': () => fotaStarted('fota-dev_2-1700000000', ['dev_2']),
    },
  });
  await startFota(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, thingName: 'dev_2', firmwareUri: 'file:///ws/blink/fw.json', bucket: 'fw-bucket', role: 'iot-fota', duration: 600 });
  assert.deepEqual(ui.infos, ['FOTA job fota-dev_2-1700000000 started for dev_2; verified: all 3 checks passed.']);
  assert.deepEqual(views.jobsRefreshed, [P]);
});

test('start FOTA from a code lens offers "This thing"; a bad duration is refused', async () => {
  const { deps } = fakeDeps({ answers: ['This thing', 'file:///fw.json', 'fw-bucket', 'iot-fota', '30'], responders: { 'zaws/listThings': () => thingList(things(3)) } });
  await assert.rejects(startFota(deps, P, 'dev_1'), /60 to 3600/);
});

test('start FOTA for all things of the project, with a rollout rate; failed verification is a warning with its report', async () => {
  const { deps, api, ui } = fakeDeps({
    answers: ['All things of the project', 'file:///ws/blink/fw.json', 'fw-bucket', 'iot-fota', '600', '10'],
    responders: {
      'zaws/listThings': () => thingList(things(3)),
      'zaws/startFota': () => fotaStarted('fota-blink-1', ['dev_0', 'dev_1', 'dev_2'], false),
    },
  });
  ui.infoAction = SHOW_VERIFICATION;
  await startFota(deps, P, 'dev_0');
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, allThings: true, firmwareUri: 'file:///ws/blink/fw.json', bucket: 'fw-bucket', role: 'iot-fota', duration: 600, maxPerMinute: 10 });
  assert.deepEqual(ui.warnings, ['FOTA job fota-blink-1 started for 3 things; verification found 1 problem: The firmware MD5 does not match the document']);
  await settle();
  assert.equal(ui.reports.length, 1);
  assert.match(ui.reports[0]!.markdown, /firmware\.md5.*does not match[\s\S]*what to do: start the job again/);
});

test('start FOTA for chosen things; an empty rollout rate means no limit; a bad one is refused', async () => {
  const { deps, api } = fakeDeps({
    answers: ['Choose things…', 'dev_0,dev_2', 'file:///ws/blink/fw.json', 'fw-bucket', 'iot-fota', '600', ''],
    responders: {
      'zaws/listThings': () => thingList(things(3)),
      'zaws/startFota': (p) => fotaStarted('fota-blink-2', p.thingNames ?? []),
    },
  });
  await startFota(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, thingNames: ['dev_0', 'dev_2'], firmwareUri: 'file:///ws/blink/fw.json', bucket: 'fw-bucket', role: 'iot-fota', duration: 600 });
  assert.match(String(optionalRolloutRate('0')), /1 to 1000/);
  assert.equal(optionalRolloutRate(' 25 '), undefined);
});

test('set up FOTA: bucket and role, then the result; they become the defaults of Start FOTA', async () => {
  const { deps, api, ui } = fakeDeps({ answers: ['fw-bucket', 'iot-fota'], responders: { 'zaws/fotaSetup': (p) => setupDone(p.bucket, p.role) } });
  await fotaSetup(deps);
  assert.deepEqual(api.sent[0]?.params, { bucket: 'fw-bucket', role: 'iot-fota' });
  assert.deepEqual(ui.infos, ['FOTA ready: bucket fw-bucket (us-east-1) created; role iot-fota created.']);
  assert.deepEqual(fotaDefaults, { bucket: 'fw-bucket', role: 'iot-fota' });
});

test('cancel a job from its row: a modal with Force for executions in progress, then confirm: true', async () => {
  const job = { projectUri: P, job: jobSummary('fota-blink-1') };
  const forced = fakeDeps({ responders: { 'zaws/describeFotaJob': (p) => jobDetails(p.jobId, 'IN_PROGRESS', { queued: 1, inProgress: 2 }), 'zaws/cancelFotaJob': (p) => ({ jobId: p.jobId, previousStatus: 'IN_PROGRESS', status: 'CANCELED', force: true, leftRunning: 0 }) } });
  forced.ui.chooseAnswer = (labels) => labels.find((l) => l === FORCE_CANCEL_LABEL);
  await cancelJob(forced.deps, job);
  assert.deepEqual(forced.ui.choices[0]?.labels, [CANCEL_LABEL, FORCE_CANCEL_LABEL]);
  assert.match(forced.ui.choices[0].detail, /1 queued · 2 in progress/);
  assert.deepEqual(forced.api.sent.at(-1)?.params, { jobId: 'fota-blink-1', force: true, confirm: true });
  assert.deepEqual(forced.views.jobsRefreshed, [P]);
  assert.deepEqual(forced.ui.infos, ['FOTA job fota-blink-1 canceled.']);

  const plain = fakeDeps({ responders: { 'zaws/describeFotaJob': (p) => jobDetails(p.jobId), 'zaws/cancelFotaJob': (p) => ({ jobId: p.jobId, previousStatus: 'IN_PROGRESS', status: 'CANCELED', force: false, leftRunning: 0 }) } });
  await cancelJob(plain.deps, job);
  assert.deepEqual(plain.ui.choices[0]?.labels, [CANCEL_LABEL]);
  assert.deepEqual(plain.api.sent.at(-1)?.params, { jobId: 'fota-blink-1', confirm: true });

  const dismissed = fakeDeps({ responders: { 'zaws/describeFotaJob': (p) => jobDetails(p.jobId) } });
  dismissed.ui.chooseAnswer = () => undefined;
  assert.equal(await cancelJob(dismissed.deps, job), undefined);
  assert.deepEqual(dismissed.api.sent.map((s) => s.method), ['zaws/describeFotaJob']);

  const done = fakeDeps({ responders: { 'zaws/describeFotaJob': (p) => jobDetails(p.jobId, 'CANCELED') } });
  await assert.rejects(cancelJob(done.deps, job), /canceled: nothing to cancel/);
});

test('delete a job: modal; a job in progress is deleted with force', async () => {
  const { deps, api, ui, views } = fakeDeps({ responders: { 'zaws/deleteFotaJob': (p) => ({ jobId: p.jobId, existed: true, forgottenByProject: true }) } });
  await deleteJob(deps, { projectUri: P, job: jobSummary('fota-blink-1') });
  assert.match(ui.confirmations[0]!.message, /Delete FOTA job fota-blink-1\?/);
  assert.deepEqual(api.sent[0]?.params, { jobId: 'fota-blink-1', projectUri: P, force: true, confirm: true });
  assert.deepEqual(views.jobsRefreshed, [P]);
  await deleteJob(deps, { projectUri: P, job: jobSummary('fota-blink-0', 'CANCELED', { canceled: 3 }) });
  assert.deepEqual(api.sent[1]?.params, { jobId: 'fota-blink-0', projectUri: P, confirm: true });
  ui.confirmAnswer = false;
  await deleteJob(deps, { projectUri: P, job: jobSummary('fota-blink-2') });
  assert.equal(api.sent.length, 2);
});

test('verify and describe from the palette pick a job of the project, newest first', async () => {
  const { deps, api, ui } = fakeDeps({
    answers: [(items) => items[0]?.value, 'fota-blink-1'],
    responders: {
      'zaws/listFotaJobs': () => ({ projectUri: P, project: '/ws/blink', jobs: [jobSummary('fota-blink-1'), { ...jobSummary('fota-blink-2', 'COMPLETED', { succeeded: 3 }), startedAt: 1_800_000_000 }] }),
      'zaws/verifyFota': (p) => verification(p.jobId),
      'zaws/describeFotaJob': (p) => jobDetails(p.jobId),
    },
  });
  await verifyJob(deps);
  assert.deepEqual(api.sent[1]?.params, { jobId: 'fota-blink-2', projectUri: P });
  assert.deepEqual(ui.infos, ['FOTA job fota-blink-2: verified: all 3 checks passed.']);
  await describeJob(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { jobId: 'fota-blink-1' });
  assert.equal(ui.reports[0]?.name, 'fota-blink-1.md');
  assert.match(ui.reports[0].markdown, /\| dev_0 \| queued \|/);

  const none = fakeDeps({ responders: { 'zaws/listFotaJobs': () => ({ projectUri: P, project: '/ws/blink', jobs: [] }) } });
  await assert.rejects(verifyJob(none.deps), /No FOTA job was started/);
});

test('create policy and settings commands', async () => {
  const policy = fakeDeps({ answers: ['ZerynthThing'], responders: { 'zaws/createPolicy': (p) => ({ name: p.name, arn: 'arn:policy', created: true }) } });
  await createPolicy(policy.deps);
  assert.deepEqual(policy.ui.infos, ['Created policy ZerynthThing.']);

  const profile = fakeDeps({ answers: ['dev', 'eu-west-1'], profiles: ['default', 'dev'] });
  await selectProfile(profile.deps);
  assert.deepEqual([...profile.host.settings], [['profile', 'dev'], ['region', 'eu-west-1'], ['local', false]]);

  const local = fakeDeps({});
  await useLocalEmulator(local.deps);
  assert.equal(local.host.settings.get('local'), true);
});

test('server errors are shown with their fix actions', async () => {
  const { deps, ui } = fakeDeps({
    answers: [KEYS.aws, '1', 'dev'],
    responders: {
      'zaws/listThings': () => thingList([]),
      'zaws/addThings': () => Promise.reject(Object.assign(new Error('no creds'), { code: -32014, data: { code: 'zaws.credentials', message: 'No AWS credentials', hint: 'set a profile' } })),
    },
  });
  await runCommand(deps, 'Adding things', () => addThings(deps));
  assert.deepEqual(ui.errors, [{ kind: 'error', message: 'Adding things failed: No AWS credentials (set a profile)', actions: ['Use Local Emulator', 'Configure Profile'] }]);
});

test('thing actions need what the server reported', async () => {
  const { deps, host } = fakeDeps({});
  const [thing] = things(1);
  await revealResources(deps, thing!);
  assert.deepEqual(host.revealedFolders, ['/ws/blink/.aws_things_resources/dev_0']);
  await assert.rejects(copyCertArn(deps, { ...thing!, certArn: '' }), /no certificate ARN/);
});

test('remove a thing: the plan in a modal; nothing is removed without confirmation', async () => {
  const { deps, ui, api, views } = fakeDeps({ responders: { 'zaws/removeThings': (p) => removeAnswer(p.thingNames, p.confirm) } });
  ui.confirmAnswer = false;
  assert.equal(await removeThings(deps, P, ['dev_1']), undefined);
  assert.deepEqual(api.sent.map((s) => s.params), [{ projectUri: P, thingNames: ['dev_1'] }]);
  assert.equal(ui.confirmations[0]?.message, 'Remove dev_1 from blink?');
  assert.match(ui.confirmations[0]?.detail ?? '', /^Deleted in AWS: dev_1, with 1 certificate\.\nOn disk: the folder of the thing in \.aws_things_resources\.\n\nThis cannot be undone\.$/);
  assert.doesNotMatch(ui.confirmations[0]?.detail ?? '', /no active thing/);
  assert.deepEqual(views.refreshed, []);
});

test('remove a thing: confirmed, it sends confirm: true under cancellable progress, then the tree refreshes', async () => {
  const { deps, ui, api, views } = fakeDeps({
    responders: {
      'zaws/removeThings': (p, options) => {
        options.onProgress?.({ kind: 'report', message: 'deleted dev_1', percentage: 100 });
        return removeAnswer(p.thingNames, p.confirm);
      },
    },
  });
  await removeThings(deps, P, ['dev_1']);
  assert.deepEqual(api.sent.map((s) => s.params), [{ projectUri: P, thingNames: ['dev_1'] }, { projectUri: P, thingNames: ['dev_1'], confirm: true }]);
  assert.equal(api.sent[1]?.hadToken, true, 'the progress Cancel button reaches the request');
  assert.equal(api.sent[1]?.hadProgress, true);
  assert.deepEqual(ui.progressTitles, ['Removing dev_1 from blink']);
  assert.deepEqual(ui.progressSteps, [{ message: 'deleted dev_1', increment: 100 }]);
  assert.deepEqual(views.refreshed, [P]);
  assert.deepEqual(ui.infos, ['Removed dev_1 from blink.']);
});

test('remove several things: the plan names those kept in AWS with their reason and the loss of the active thing', async () => {
  const kept = { dev_2: 'made by another zaws project' };
  const { deps, ui } = fakeDeps({ responders: { 'zaws/removeThings': (p) => removeAnswer(p.thingNames, p.confirm, { kept, activeThingRemoved: true }) } });
  await removeThings(deps, P, ['dev_0', 'dev_2']);
  assert.match(ui.confirmations[0]?.message ?? '', /^Remove 2 things from blink\?$/);
  const detail = ui.confirmations[0]?.detail ?? '';
  assert.match(detail, /^Deleted in AWS: dev_0, with 2 certificates\./);
  assert.match(detail, /Kept in AWS \(only this project's certificate is removed from it\):\n {2}dev_2: made by another zaws project/);
  assert.match(detail, /The project will have no active thing/);
  assert.deepEqual(ui.infos, ["Removed dev_0, dev_2 from blink; dev_2 kept in AWS (not only this project's); blink has no active thing now."]);
});

test('remove from the tree: the clicked row and the selection holding it, else the clicked row alone', () => {
  const project: ProjectNode = { kind: 'project', uri: P, name: 'blink', path: '/ws/blink' };
  const other: ProjectNode = { kind: 'project', uri: 'file:///ws/other', name: 'other', path: '/ws/other' };
  const rows: ThingNode[] = things(3).map((thing) => ({ kind: 'thing', project, thing }));
  const elsewhere: ThingNode = { kind: 'thing', project: other, thing: things(1)[0]! };
  const names = (r: ReturnType<typeof selectedThings>) => r?.things.map((t) => t.name);
  assert.deepEqual(names(selectedThings(rows[0], [rows[0], rows[2], project, elsewhere])), ['dev_0', 'dev_2']);
  assert.deepEqual(names(selectedThings(rows[1], [rows[0], rows[2]])), ['dev_1'], 'a click outside the selection acts on the clicked row');
  assert.deepEqual(names(selectedThings(rows[1], undefined)), ['dev_1']);
  assert.equal(selectedThings(project, [rows[0]]), undefined);
});

test('revoke a certificate: the modal says it is final and offers Deactivate; REVOKED goes with confirm', async () => {
  const { deps, ui, api, views } = fakeDeps({ responders: { 'zaws/setCertificateStatus': (p) => certificateChanged(p.thingName, p.status) } });
  ui.chooseAnswer = (labels) => labels.find((l) => l === REVOKE_LABEL);
  await revokeCertificate(deps, P, things(3)[1]!);
  assert.equal(ui.choices[0]?.message, 'Revoke the certificate of dev_1?');
  assert.deepEqual(ui.choices[0]?.labels, [REVOKE_LABEL, DEACTIVATE_LABEL]);
  assert.match(ui.choices[0]?.detail ?? '', /Revoking is final/);
  assert.deepEqual(api.sent[0]?.params, { projectUri: P, thingName: 'dev_1', status: 'REVOKED', confirm: true });
  assert.deepEqual(views.refreshed, [P]);
  assert.deepEqual(ui.infos, ['Revoked the certificate of dev_1.']);
});

test('revoke, second choice: Deactivate sends INACTIVE; dismissed sends nothing; a revoked one is refused', async () => {
  const { deps, ui, api } = fakeDeps({ responders: { 'zaws/setCertificateStatus': (p) => certificateChanged(p.thingName, p.status) } });
  ui.chooseAnswer = (labels) => labels.find((l) => l === DEACTIVATE_LABEL);
  await revokeCertificate(deps, P, things(3)[0]!);
  assert.deepEqual(api.sent[0]?.params, { projectUri: P, thingName: 'dev_0', status: 'INACTIVE', confirm: true });
  assert.match(ui.choices[0]?.detail ?? '', /active thing/, 'the active thing is named as such');
  assert.deepEqual(ui.infos, ['Deactivated the certificate of dev_0.']);
  ui.chooseAnswer = () => undefined;
  assert.equal(await revokeCertificate(deps, P, things(3)[2]!), undefined);
  assert.equal(api.sent.length, 1);
  await assert.rejects(revokeCertificate(deps, P, { ...things(3)[2]!, certificateStatus: 'REVOKED' }), /revoked already/);
  ui.chooseAnswer = (labels) => labels[0];
  await revokeCertificate(deps, P, { ...things(3)[2]!, certificateStatus: 'INACTIVE' });
  assert.deepEqual(ui.choices.at(-1)?.labels, [REVOKE_LABEL], 'a deactivated one is offered Revoke only');
});

test('activate a deactivated certificate: ACTIVE without confirmation; a revoked one is refused', async () => {
  const { deps, ui, api, views } = fakeDeps({ responders: { 'zaws/setCertificateStatus': (p) => certificateChanged(p.thingName, p.status, 'INACTIVE') } });
  await activateCertificate(deps, P, { ...things(3)[1]!, certificateStatus: 'INACTIVE' });
  assert.deepEqual(api.sent[0]?.params, { projectUri: P, thingName: 'dev_1', status: 'ACTIVE' });
  assert.deepEqual(views.refreshed, [P]);
  assert.deepEqual(ui.infos, ['Activated the certificate of dev_1 again.']);
  await assert.rejects(activateCertificate(deps, P, { ...things(3)[1]!, certificateStatus: 'REVOKED' }), /never lets it become active again/);
  assert.equal(api.sent.length, 1);
});

test('the Set Active Thing pick names the things whose certificate is stopped', async () => {
  const list = things(3);
  list[1] = { ...list[1]!, certificateStatus: 'REVOKED' };
  const { deps, api } = fakeDeps({
    answers: [(items) => {
      assert.deepEqual(items.map((i) => i.description), ['active', 'certificate revoked', undefined]);
      return items[2]?.value;
    }],
    responders: { 'zaws/listThings': () => thingList(list), 'zaws/setActiveThing': (p) => activeThing(p.thingName ?? '') },
  });
  await setActiveThing(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, thingName: 'dev_2' });
});

test('rotate a certificate: the modal says what happens and offers to keep the old one; Rotate sends no keepOld, under cancellable progress', async () => {
  const { deps, ui, api, views } = fakeDeps({
    responders: {
      'zaws/rotateCertificates': (p, options) => {
        options.onProgress?.({ kind: 'report', message: 'dev_1', percentage: 100 });
        return rotated(p.thingNames, p.keepOld);
      },
    },
  });
  ui.chooseAnswer = (labels) => labels.find((l) => l === ROTATE_LABEL);
  await rotateCertificates(deps, P, [things(3)[1]!]);
  assert.equal(ui.choices[0]?.message, 'Rotate the certificate of dev_1 in blink?');
  assert.deepEqual(ui.choices[0]?.labels, [ROTATE_LABEL, KEEP_OLD_LABEL]);
  const detail = ui.choices[0]?.detail ?? '';
  assert.match(detail, /^dev_1 gets a new private key and certificate/);
  assert.match(detail, /Then the old certificate is deactivated and deleted/);
  assert.doesNotMatch(detail, /revoked|active thing/);
  assert.deepEqual(api.sent.map((s) => s.params), [{ projectUri: P, thingNames: ['dev_1'] }]);
  assert.equal(api.sent[0]?.hadToken, true, 'the progress Cancel button reaches the request');
  assert.equal(api.sent[0]?.hadProgress, true);
  assert.deepEqual(ui.progressTitles, ['Rotating the certificate of dev_1 in blink']);
  assert.deepEqual(ui.progressSteps, [{ message: '1/1 · dev_1', increment: 100 }]);
  assert.deepEqual(views.refreshed, [P]);
  assert.deepEqual(ui.infos, ['New certificate for dev_1; old one deleted.']);
});

test('rotate several, keeping the old certificates: keepOld: true; the modal names the revoked and the active thing; dismissed sends nothing', async () => {
  const { deps, ui, api, views } = fakeDeps({ responders: { 'zaws/rotateCertificates': (p) => rotated(p.thingNames, p.keepOld) } });
  const list = things(3);
  ui.chooseAnswer = () => undefined;
  assert.equal(await rotateCertificates(deps, P, [list[1]!]), undefined);
  assert.equal(api.sent.length, 0);
  assert.deepEqual(views.refreshed, []);
  ui.chooseAnswer = (labels) => labels.find((l) => l === KEEP_OLD_LABEL);
  await rotateCertificates(deps, P, [list[0]!, { ...list[2]!, certificateStatus: 'REVOKED' }]);
  assert.equal(ui.choices[1]?.message, 'Rotate the certificates of 2 things in blink?');
  const detail = ui.choices[1]?.detail ?? '';
  assert.match(detail, /^Each of dev_0, dev_2 gets a new private key/);
  assert.match(detail, /The certificate of dev_2 is revoked: with the new one, it can connect and be made active again\./);
  assert.match(detail, /dev_0 is the project's active thing: the key and certificate at the project's top level follow\./);
  assert.deepEqual(api.sent[0]?.params, { projectUri: P, thingNames: ['dev_0', 'dev_2'], keepOld: true });
  assert.deepEqual(ui.progressTitles, ['Rotating the certificates of 2 things in blink']);
  assert.deepEqual(ui.infos, ['New certificates for dev_0, dev_2; old ones kept.']);
  await assert.rejects(rotateCertificates(deps, P, []), /Select the things/);
});

test('the rotation notification says what was resumed, kept and left to review', () => {
  const mixed = rotated(['dev_0', 'dev_1']);
  mixed.rotated[1]!.oldRetired = false;
  assert.equal(rotatedText({ ...mixed, resumed: true, certificatesToReview: 1 }),
    'Finished an interrupted rotation: new certificates for dev_0, dev_1; old ones deleted, but for dev_1 (kept); 1 certificate to review with zaws orphan-certificates.');
  assert.equal(rotatedText(rotated([])), 'No certificate was rotated.');
});

test('rotate a revoked or deactivated thing alone: only Rotate is offered (no old certificate would keep working)', async () => {
  const { deps, ui, api } = fakeDeps({ responders: { 'zaws/rotateCertificates': (p) => rotated(p.thingNames, p.keepOld) } });
  const list = things(3);
  await rotateCertificates(deps, P, [{ ...list[1]!, certificateStatus: 'REVOKED' }, { ...list[2]!, certificateStatus: 'INACTIVE' }]);
  assert.deepEqual(ui.choices[0]?.labels, [ROTATE_LABEL]);
  const detail = ui.choices[0]?.detail ?? '';
  assert.match(detail, /Then the old certificates are deleted in AWS\./);
  assert.match(detail, /The certificates of dev_1, dev_2 are revoked or deactivated: with the new one, they can connect/);
  assert.doesNotMatch(detail, /keep old/);
  assert.deepEqual(api.sent[0]?.params, { projectUri: P, thingNames: ['dev_1', 'dev_2'] });
});
