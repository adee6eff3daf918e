/** What the Jobs rows show: counts, status icons, context values, and the job and verification reports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countsText, executionLook, isActiveJob, statusDetailsText, jobDetailsMarkdown, jobIcon, jobLook, jobsNodeLook, verificationSummary } from '../../src/core/jobsModel';
import { jobDetails, jobSummary, verification } from '../commands/answers';

test('counts read as "2 queued · 1 succeeded", zeros left out', () => {
  assert.equal(countsText({ queued: 2, inProgress: 0, succeeded: 1 }), '2 queued · 1 succeeded');
  assert.equal(countsText({ timedOut: 1, canceled: 4 }), '4 canceled · 1 timed out');
  assert.equal(countsText({}), '');
});

test('each job status has its own icon; only running jobs can be cancelled', () => {
  const statuses = ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'CANCELED', 'DELETION_IN_PROGRESS', 'DELETED'];
  const icons = statuses.map((s) => jobIcon(s).icon);
  assert.equal(new Set(icons).size, statuses.length, icons.join(', '));
  assert.equal(jobIcon(null).icon, 'question');
  assert.deepEqual(statuses.filter(isActiveJob), ['QUEUED', 'IN_PROGRESS']);
  assert.equal(jobLook(jobSummary('j', 'IN_PROGRESS')).contextValue, 'zaws.job.active');
  assert.equal(jobLook(jobSummary('j', 'CANCELED', { canceled: 3 })).contextValue, 'zaws.job.done');
});

test('a job row: id, status and counts, a tooltip with its targets', () => {
  const look = jobLook(jobSummary('fota-blink-1', 'IN_PROGRESS', { queued: 2, succeeded: 1 }));
  assert.equal(look.label, 'fota-blink-1');
  assert.equal(look.description, 'in progress · 2 queued · 1 succeeded');
  assert.match(look.tooltip, /status: in progress\nstarted: 2023-11-14 22:13:20 UTC\ntarget: 3 things \(dev_0, dev_1, dev_2\)\nexecutions: 2 queued · 1 succeeded/);
  assert.equal(jobLook(jobSummary('j', null, {})).description, 'status unknown');
});

test('the Jobs node and execution rows', () => {
  assert.equal(jobsNodeLook(undefined).description, undefined);
  assert.equal(jobsNodeLook([jobSummary('a'), jobSummary('b', 'COMPLETED', {})]).description, '2 jobs · 1 running');
  assert.equal(jobsNodeLook(undefined, 'no creds').icon, 'warning');
  const row = executionLook({ thingName: 'dev_0', targetArn: 'arn', status: 'SUCCEEDED', lastUpdated: '2023-11-14T22:13:20+00:00', statusDetails: null });
  assert.deepEqual([row.label, row.description, row.icon], ['dev_0', 'succeeded', 'pass']);
  const failed = { thingName: 'dev_1', targetArn: 'arn', status: 'FAILED', lastUpdated: null, statusDetails: { reason: 'bad crc', check: 'MD5 a != b' } };
  assert.equal(executionLook(failed).description, 'failed · bad crc'); // what the device told AWS
  assert.match(executionLook(failed).tooltip, /reason: bad crc/);
  assert.equal(executionLook(failed, 'download failed').description, 'failed · download failed'); // the live event wins
  assert.equal(statusDetailsText({ error: 'timeout', step: '3' }), 'error: timeout, step: 3');
  assert.equal(statusDetailsText({}), undefined);
  assert.equal(statusDetailsText(null), undefined);
});

test('job details and verification texts', () => {
  const markdown = jobDetailsMarkdown(jobDetails('fota-blink-1'));
  assert.match(markdown, /^# FOTA job fota-blink-1/);
  assert.match(markdown, /- URL validity: 600 s/);
  assert.match(markdown, /```json\n\{/);
  assert.equal(verificationSummary(verification('j')), 'verified: all 3 checks passed.');
  assert.equal(verificationSummary(verification('j', false)), 'verification found 1 problem: The firmware MD5 does not match the document');
  const warned = { ...verification('j'), findings: [{ check: 'role.read', message: 'Could not check the role', hint: 'h', severity: 'warning' as const }] };
  assert.equal(verificationSummary(warned), 'verified with 1 warning: Could not check the role');
});
