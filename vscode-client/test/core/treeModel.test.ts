import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectLook, thingLook } from '../../src/core/treeModel';
import type { ThingInfo } from '../../src/core/protocol';

const thing = (index: number, extra: Partial<ThingInfo> = {}): ThingInfo => ({ index, name: `dev_${index}`, active: false, certArn: '', folder: `/p/.aws_things_resources/dev_${index}`, remote: null, ...extra });

test('the active thing is marked by icon, description and context value', () => {
  const active = thingLook(thing(1, { active: true, certArn: 'arn:aws:iot:us-east-1:123456789012:cert/ab' }));
  assert.equal(active.icon, 'pass-filled');
  assert.equal(active.description, 'active');
  assert.equal(active.contextValue, 'zaws.thing.active');
  assert.match(active.tooltip, /^dev_1 \(#1\), the active thing\ncertificate: arn:aws:iot/);
  const other = thingLook(thing(2));
  assert.equal(other.icon, 'circle-outline');
  assert.equal(other.description, undefined);
  assert.equal(other.contextValue, 'zaws.thing');
});

test('remote status shows when known, with a warning when something is wrong', () => {
  assert.equal(thingLook(thing(0, { remote: { thingExists: true, certificateStatus: 'ACTIVE' } })).description, 'certificate ACTIVE');
  const inactive = thingLook(thing(0, { active: true, remote: { thingExists: true, certificateStatus: 'INACTIVE' } }));
  assert.equal(inactive.description, 'active · certificate INACTIVE');
  assert.equal(inactive.icon, 'warning');
  const gone = thingLook(thing(0, { remote: { thingExists: false, certificateStatus: null } }));
  assert.equal(gone.description, 'missing in AWS');
  assert.equal(gone.iconColor, 'problemsWarningIcon.foreground');
});

test('a revoked or deactivated thing is shown as such and is not offered Set Active', () => {
  const revoked = thingLook(thing(3, { active: true, certificateStatus: 'REVOKED', remote: { thingExists: true, certificateStatus: 'ACTIVE' } }));
  assert.equal(revoked.description, 'active · certificate revoked', 'zaws\'s note wins over an older remote check');
  assert.equal(revoked.icon, 'error');
  assert.equal(revoked.iconColor, 'problemsErrorIcon.foreground');
  assert.equal(revoked.contextValue, 'zaws.thing.revoked');
  assert.match(revoked.tooltip, /certificate revoked: .*final.*Rotate Certificate/, 'the row says what makes it work again');
  const inactive = thingLook(thing(4, { certificateStatus: 'INACTIVE' }));
  assert.equal(inactive.description, 'certificate deactivated');
  assert.equal(inactive.icon, 'debug-pause');
  assert.equal(inactive.contextValue, 'zaws.thing.inactive');
  assert.equal(thingLook(thing(5, { certificateStatus: null })).contextValue, 'zaws.thing');
});

test('project rows count things and name the active one', () => {
  assert.equal(projectLook('blink', '/ws/blink', undefined).description, 'loading…');
  assert.equal(projectLook('blink', '/ws/blink', [thing(0, { active: true })]).description, '1 thing · active: dev_0');
  assert.equal(projectLook('blink', '/ws/blink', [thing(0), thing(1)]).description, '2 things');
  const broken = projectLook('blink', '/ws/blink', undefined, 'server down');
  assert.equal(broken.icon, 'warning');
  assert.match(broken.tooltip, /server down/);
});

test('1,000 things become rows in well under a frame budget per refresh', () => {
  const things = Array.from({ length: 1000 }, (_, i) => thing(i, { active: i === 500, certArn: `arn:aws:iot:us-east-1:123456789012:cert/${i}` }));
  const start = performance.now();
  const rows = things.map(thingLook);
  projectLook('fleet', '/ws/fleet', things);
  const elapsed = performance.now() - start;
  assert.equal(rows.filter((r) => r.contextValue === 'zaws.thing.active').length, 1);
  assert.ok(elapsed < 50, `took ${elapsed.toFixed(1)} ms`);
});
