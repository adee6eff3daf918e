import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as check from '../../src/core/validation';

test('thing names: AWS allows 1-128 of [a-zA-Z0-9:_-]', () => {
  assert.equal(check.thingName('sensor_0'), undefined);
  assert.equal(check.thingName('a:b-C_9'), undefined);
  assert.equal(check.thingName('x'.repeat(128)), undefined);
  assert.match(check.thingName('x'.repeat(129)) ?? '', /128/);
  assert.match(check.thingName('') ?? '', /required/);
  for (const bad of ['with space', 'dot.name', 'slash/x', 'ünï', 'a#b']) {
    assert.notEqual(check.thingName(bad), undefined, bad);
  }
});

test('base names leave room for the _<index> suffix', () => {
  assert.equal(check.baseName('', { required: false }), undefined);
  assert.match(check.baseName('', { required: true }) ?? '', /required/);
  assert.equal(check.baseName('x'.repeat(126), { required: true, nextIndex: 0, count: 1 }), undefined);
  assert.match(check.baseName('x'.repeat(127), { required: true, nextIndex: 0, count: 1 }) ?? '', /at most 126/);
  // things 995..1004 end with "_1004": the base can have 123 characters
  assert.equal(check.baseName('x'.repeat(123), { required: true, nextIndex: 995, count: 10 }), undefined);
  assert.notEqual(check.baseName('x'.repeat(124), { required: true, nextIndex: 995, count: 10 }), undefined);
  assert.notEqual(check.baseName('bad name', { required: false }), undefined);
});

test('counts are whole numbers from 1 to the maximum', () => {
  assert.equal(check.thingCount('1'), undefined);
  assert.equal(check.thingCount(' 3 '), undefined);
  assert.equal(check.thingCount('1000'), undefined);
  for (const bad of ['0', '1001', '-1', '2.5', 'three', '', '1e3']) {
    assert.notEqual(check.thingCount(bad), undefined, bad);
  }
  assert.equal(check.thingCount('50', 50), undefined);
  assert.notEqual(check.thingCount('51', 50), undefined);
});

test('FOTA durations are 60-3600 seconds', () => {
  assert.equal(check.fotaDuration('60'), undefined);
  assert.equal(check.fotaDuration('3600'), undefined);
  assert.match(check.fotaDuration('59') ?? '', /60 to 3600/);
  assert.notEqual(check.fotaDuration('3601'), undefined);
  assert.notEqual(check.fotaDuration('1h'), undefined);
});

test('project names are plain folder names', () => {
  assert.equal(check.projectName('blink-aws'), undefined);
  for (const bad of ['', '  ', ' lead', '..', 'a/b', 'a\\b', 'a:b', 'tab\there']) {
    assert.notEqual(check.projectName(bad), undefined, JSON.stringify(bad));
  }
});

test('buckets, roles, policies and endpoints follow the AWS rules', () => {
  assert.equal(check.bucketName('my.firmware-bucket'), undefined);
  for (const bad of ['ab', 'Upper', '-start', 'end-', 'a..b', '192.168.1.1', 'x'.repeat(64)]) {
    assert.notEqual(check.bucketName(bad), undefined, bad);
  }
  assert.equal(check.roleName('iot-fota-role'), undefined);
  assert.equal(check.roleName('arn:aws:iam::123456789012:role/service/iot-fota'), undefined);
  assert.notEqual(check.roleName('has space'), undefined);
  assert.notEqual(check.roleName('arn:aws:iam::123:role/x'), undefined);
  assert.equal(check.policyName('ZerynthThingPolicy'), undefined);
  assert.equal(check.optionalPolicyName(''), undefined);
  assert.notEqual(check.policyName('no spaces'), undefined);
  assert.equal(check.endpoint(''), undefined);
  assert.equal(check.endpoint('abc123-ats.iot.eu-west-1.amazonaws.com'), undefined);
  assert.match(check.endpoint('https://abc.iot.eu-west-1.amazonaws.com') ?? '', /without https/);
  assert.notEqual(check.endpoint('localhost'), undefined);
  assert.notEqual(check.endpoint('bad_label.example.com'), undefined);
});
