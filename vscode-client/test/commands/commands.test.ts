/** Each command's flow, as a user session against a scripted Ui and a fake server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addThings } from '../../src/commands/addThings';
import { cleanup, planText } from '../../src/commands/cleanup';
import { createProject } from '../../src/commands/createProject';
import { createPolicy } from '../../src/commands/createPolicy';
import { runCommand } from '../../src/commands/run';
import { selectProfile, useLocalEmulator } from '../../src/commands/awsTarget';
import { setActiveThing } from '../../src/commands/setActiveThing';
import { startFota } from '../../src/commands/startFota';
import { copyCertArn, revealResources } from '../../src/commands/thingActions';
import { activeThing, added, created, P, plan, thingList, things } from './answers';
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
    answers: ['3', 'dev'],
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
  assert.equal(ui.infos[0], 'Added 3 things to blink: dev_0, dev_1, dev_2.');
  assert.deepEqual(views.revealed, [{ projectUri: P, thingName: 'dev_0' }]);
  assert.deepEqual(views.refreshed, [P]);
});

test('add things: an empty base name is refused for a project without things', async () => {
  const { deps } = fakeDeps({ answers: ['1', ''], responders: { 'zaws/listThings': () => thingList([]) } });
  await assert.rejects(addThings(deps), /base name is required/);
});

test('add things: an empty base name keeps the project base once it has things', async () => {
  const { deps, api } = fakeDeps({
    answers: ['2', ''],
    responders: {
      'zaws/listThings': () => thingList(things(3)),
      'zaws/addThings': () => added(['dev_3', 'dev_4']),
    },
  });
  await addThings(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, count: 2 });
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
        ? { projectUri: P, confirmed: true, done: { project: '/ws/blink', thingsDeleted: ['dev_0', 'dev_1'], certificatesDeleted: 2, orphanCertificatesDeleted: 0, localPathsRemoved: plan.localPaths } }
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

test('start FOTA: thing, firmware, bucket, role, duration', async () => {
  const { deps, api, ui } = fakeDeps({
    answers: [(items) => items[0]?.value, 'file:///ws/blink/fw.json', 'fw-bucket', 'iot-fota', '600'],
    responders: {
      'zaws/listThings': () => thingList(things(3, 2)),
      'zaws/startFota': () => ({ jobId: 'fota-dev_2-1700000000', jobArn: 'arn:job', thingName: 'dev_2', bucket: 'fw-bucket' }),
    },
  });
  await startFota(deps);
  assert.deepEqual(api.sent.at(-1)?.params, { projectUri: P, thingName: 'dev_2', firmwareUri: 'file:///ws/blink/fw.json', bucket: 'fw-bucket', role: 'iot-fota', duration: 600 });
  assert.deepEqual(ui.infos, ['FOTA job fota-dev_2-1700000000 created for dev_2.']);
});

test('start FOTA from a code lens skips the thing prompt; a bad duration is refused', async () => {
  const { deps } = fakeDeps({ answers: ['file:///fw.json', 'fw-bucket', 'iot-fota', '30'], responders: {} });
  await assert.rejects(startFota(deps, P, 'dev_1'), /60 to 3600/);
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
    answers: ['1', 'dev'],
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
