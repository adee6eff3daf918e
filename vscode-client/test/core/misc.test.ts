import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeProfiles, profilesFromConfig, profilesFromCredentials, region } from '../../src/core/awsProfiles';
import { describeError, ServerUnavailable } from '../../src/core/errors';
import { ProgressTranslator } from '../../src/core/progress';
import { isSameOrInside, projectFolders, projectOfThingFile, projectsDeletedWith } from '../../src/core/projects';
import { lensArgs } from '../../src/core/protocol';
import { configurationChange, toServerSettings } from '../../src/core/settings';

test('AWS profiles come from both files, default first, without sso-session sections', () => {
  const config = '[default]\nregion=eu-west-1\n[profile dev]\nregion = us-east-1\n[sso-session corp]\nsso_start_url=x\n';
  const credentials = '[default]\naws_access_key_id=x\n[ci]\n';
  assert.deepEqual(mergeProfiles(profilesFromConfig(config), profilesFromCredentials(credentials)), ['default', 'ci', 'dev']);
  assert.equal(region('eu-west-1'), undefined);
  assert.equal(region('us-gov-west-1'), undefined);
  assert.notEqual(region('europe'), undefined);
});

test('errors: credentials offer the emulator and a profile; cancellation is not an error', () => {
  const credentials = describeError({ code: -32014, message: 'No AWS credentials', data: { code: 'zaws.credentials', message: 'No AWS credentials found', hint: 'configure a profile' } }, 'Adding things');
  assert.equal(credentials.message, 'Adding things failed: No AWS credentials found (configure a profile)');
  assert.deepEqual(credentials.actions, ['Use Local Emulator', 'Configure Profile']);
  assert.deepEqual(describeError({ code: -32099, message: 'x', data: { code: 'zaws.credentials', message: 'x', hint: null } }, 'y').actions, ['Use Local Emulator', 'Configure Profile'], 'the stable data.code is enough');
  const cancelled = describeError({ code: -32800, message: 'cancelled' }, 'Adding things');
  assert.equal(cancelled.kind, 'cancelled');
  const other = describeError(new Error('boom'), 'Cleaning up');
  assert.deepEqual([other.message, other.actions], ['Cleaning up failed: boom', ['Show Log']]);
  const noServer = describeError(new ServerUnavailable('zaws is not installed'), 'x');
  assert.deepEqual(noServer.actions, ['Set Python Interpreter', 'Show Log']);
});

test('work-done percentages become increments; messages pass through', () => {
  const t = new ProgressTranslator();
  assert.deepEqual(t.step({ kind: 'begin', title: 'Adding', percentage: 0 }), undefined);
  assert.deepEqual(t.step({ kind: 'report', message: '1/3', percentage: 33 }), { message: '1/3', increment: 33 });
  assert.deepEqual(t.step({ kind: 'report', message: '2/3', percentage: 66 }), { message: '2/3', increment: 33 });
  assert.deepEqual(t.step({ kind: 'report', percentage: 50 }), undefined, 'never goes backwards');
  assert.deepEqual(t.step({ kind: 'report', percentage: 150 }), { increment: 34 });
  assert.equal(t.step({ kind: 'end', message: 'done' }), undefined);
});

test('with a known total, progress messages carry the count', () => {
  const t = new ProgressTranslator(200);
  assert.deepEqual(t.step({ kind: 'begin', title: 'Adding', percentage: 0, message: 'creating 200 things' }), { message: '0/200 · creating 200 things' });
  assert.deepEqual(t.step({ kind: 'report', message: 'created dev_9', percentage: 5 }), { message: '10/200 · created dev_9', increment: 5 });
  assert.deepEqual(t.step({ kind: 'report', percentage: 50 }), { message: '100/200', increment: 45 });
});

test('projects are folders with a top-level thing.conf.json, not the per-thing copies', () => {
  assert.deepEqual(projectFolders([
    '/ws/b/thing.conf.json',
    '/ws/a/thing.conf.json',
    '/ws/a/.aws_things_resources/t_0/thing.conf.json',
    '/ws/a/.zaws/add-things/staging/t_1/thing.conf.json',
    '/ws/a/other.json',
  ]), ['/ws/a', '/ws/b']);
  assert.equal(projectOfThingFile('/ws/a/.aws_things_resources/t_0/thing.conf.json'), '/ws/a');
  assert.equal(projectOfThingFile('/ws/a/.zawsconf'), '/ws/a');
  assert.equal(projectOfThingFile('/ws/a/.zaws/add-things/staging/t_1/thing.conf.json'), '/ws/a');
  assert.equal(projectOfThingFile('/ws/a/thing.conf.json'), undefined, 'a top-level file may add or remove a project');
});

test('a deleted folder takes away the projects at it or inside it, not those beside it', () => {
  const projects = ['file:///ws/a', 'file:///ws/apps/b', 'file:///ws/apps/c', 'file:///other/d'];
  assert.deepEqual(projectsDeletedWith('file:///ws/a', projects), ['file:///ws/a'], 'the project folder itself');
  assert.deepEqual(projectsDeletedWith('file:///ws/apps', projects), ['file:///ws/apps/b', 'file:///ws/apps/c'], 'an ancestor');
  assert.deepEqual(projectsDeletedWith('file:///ws', projects), projects.slice(0, 3));
  assert.deepEqual(projectsDeletedWith('file:///ws/app', projects), [], 'a name prefix is not an ancestor');
  assert.deepEqual(projectsDeletedWith('file:///ws/a/.aws_things_resources', projects), [], 'a folder inside a project');
  assert.deepEqual(projectsDeletedWith('file:///ws/a/thing.conf.json', projects), [], 'a file inside a project (another watcher reports it)');
  assert.deepEqual(projectsDeletedWith('file:///ws/notes.txt', projects), [], 'an unrelated deletion');
  assert.deepEqual(projectsDeletedWith('vscode-remote://host/ws/a', projects), [], 'another file system');
  assert.deepEqual(projectsDeletedWith('file:///', projects), projects, 'the root');
  assert.equal(isSameOrInside('file:///ws/a/', 'file:///ws/a'), true, 'a trailing slash');
  assert.equal(isSameOrInside('file:///ws/a/x', 'file:///ws/a/'), true);
  assert.equal(isSameOrInside('file:///ws', 'file:///ws/a'), false, 'a parent is not inside its child');
});

test('settings reach the server with empty strings as null', () => {
  const values: Record<string, unknown> = { profile: ' dev ', region: '', endpointUrl: undefined, local: true, pythonPath: '/x' };
  const settings = toServerSettings((k) => values[k]);
  assert.deepEqual(settings, { profile: 'dev', region: null, endpointUrl: null, local: true, remoteChecks: true });
  assert.deepEqual(configurationChange(settings), { settings: { zaws: settings } });
  assert.equal(toServerSettings(() => 'yes').local, false, 'only a real true turns local mode on');
});

test('the emulator keeps its own region: the AWS region setting is not sent in local mode', () => {
  const values: Record<string, unknown> = { profile: 'dev', region: 'eu-central-1', local: true };
  assert.deepEqual(toServerSettings((k) => values[k]), { profile: 'dev', region: null, endpointUrl: null, local: true, remoteChecks: true });
  values.local = false;
  assert.equal(toServerSettings((k) => values[k]).region, 'eu-central-1');
});

test('code lens arguments: an object or positional values', () => {
  assert.deepEqual(lensArgs([{ projectUri: 'file:///p', thingName: 't_1' }]), { projectUri: 'file:///p', thingName: 't_1' });
  assert.deepEqual(lensArgs(['file:///p', 't_2']), { projectUri: 'file:///p', thingName: 't_2' });
  assert.deepEqual(lensArgs([]), {});
  assert.deepEqual(lensArgs([42]), {});
});
