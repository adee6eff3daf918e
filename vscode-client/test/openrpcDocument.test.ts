/**
 * protocol/openrpc.json is valid OpenRPC as the reference tools read it: validateOpenRPCDocument of
 * @open-rpc/schema-utils-js (the meta-schema the OpenRPC playground and generators use) accepts it.
 * contract.test.ts checks the client against the document's content; this checks its form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateOpenRPCDocument } from '@open-rpc/schema-utils-js';

type OpenrpcDocument = Parameters<typeof validateOpenRPCDocument>[0];

// Tests run from out/test: the repository's protocol folder is two levels above vscode-client.
const contractPath = join(__dirname, '..', '..', '..', 'protocol', 'openrpc.json');
const readContract = (): OpenrpcDocument => JSON.parse(readFileSync(contractPath, 'utf8')) as OpenrpcDocument;

function problems(document: OpenrpcDocument): string | undefined {
  const verdict = validateOpenRPCDocument(document);
  return verdict === true ? undefined : verdict.message;
}

test('protocol/openrpc.json passes the reference OpenRPC validator', () => {
  assert.equal(problems(readContract()), undefined);
});

test('the validator refuses what the meta-schema forbids, so the test above can fail', () => {
  const document = readContract();
  const errors = document.components?.errors as Record<string, Record<string, unknown>>;
  const first = Object.values(errors)[0]!;
  first['x-description'] = 'an extension the errorObject does not allow';
  assert.match(problems(document) ?? '', /additional properties/);
});

test('every error says when it is sent, in the description of its data', () => {
  const errors = readContract().components?.errors as Record<string, { data?: { description?: unknown } }>;
  for (const [name, error] of Object.entries(errors)) {
    assert.equal(typeof error.data?.description, 'string', `${name} has data.description`);
  }
});
