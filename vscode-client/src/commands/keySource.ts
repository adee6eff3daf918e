/**
 * Add Things' key source and registration. Prompts "Keys": made by AWS (the default, as the
 * original), made here (EC P-256, EC P-384, RSA 2048) or the devices' own, from a folder of CSRs;
 * then, for keys that are not AWS's, "Registration": a call per thing or one AWS IoT bulk
 * registration task, with an optional existing bucket for the task's input file. Gives the request
 * params of those choices (only what differs from the defaults: with AWS's keys the request is the
 * one an older server knows) and the words for the result.
 */
import type { Deps, PickItem } from './deps';
import { required, summarize } from './shared';
import * as check from '../core/validation';
import type { AddThingsParams, KeyType, ThingsAdded } from '../core/protocol';

export type KeySource = { kind: 'aws' } | { kind: 'local'; keyType: KeyType } | { kind: 'csr' };
export type Registration = { bulk: false } | { bulk: true; bucket?: string };

export const KEYS = {
  aws: 'Made by AWS (RSA 2048, as the original)',
  ecP256: 'Made here: EC P-256',
  ecP384: 'Made here: EC P-384',
  rsa2048: 'Made here: RSA 2048',
  csr: 'From a folder of CSRs (key stays on the device / secure element)',
} as const;

export const REGISTRATION = {
  perThing: 'One call per thing',
  bulk: 'Bulk: one AWS IoT registration task (for large fleets)',
} as const;

// Short descriptions: a quick pick row cuts what does not fit on its line.
const MADE_HERE = 'saved in the thing\'s folder; only a CSR goes to AWS';
const KEY_ITEMS: PickItem<KeySource>[] = [
  { label: KEYS.aws, description: 'default; the key comes back from AWS', value: { kind: 'aws' } },
  { label: KEYS.ecP256, description: MADE_HERE, value: { kind: 'local', keyType: 'ec-p256' } },
  { label: KEYS.ecP384, description: MADE_HERE, value: { kind: 'local', keyType: 'ec-p384' } },
  { label: KEYS.rsa2048, description: MADE_HERE, value: { kind: 'local', keyType: 'rsa-2048' } },
  { label: KEYS.csr, description: 'one thing per file', value: { kind: 'csr' } },
];

const KEY_TYPE_NAMES: Record<KeyType, string> = { 'ec-p256': 'EC P-256', 'ec-p384': 'EC P-384', 'rsa-2048': 'RSA 2048' };

/**
 * The prompts' titles, `Add Things (n/m)`: m counts the prompts that the choices made so far lead
 * to (the later ones at their defaults), so it grows when a choice adds a prompt.
 */
export class StepTitles {
  private step = 0;
  constructor(private readonly title: string, public total: number) {}
  next(): string {
    this.step += 1;
    return `${this.title} (${this.step}/${this.total})`;
  }
}

export async function chooseKeys(deps: Deps, steps: StepTitles): Promise<KeySource> {
  const keys = required(await deps.ui.pick(KEY_ITEMS, { title: `${steps.next()}: Keys`, placeHolder: 'Who makes each thing\'s private key' }));
  if (keys.kind !== 'aws') steps.total += 1; // the Registration pick
  return keys;
}

/** The folder of CSRs: a file: URI. */
export async function chooseCsrFolder(deps: Deps, steps: StepTitles, projectUri: string): Promise<string> {
  return required(await deps.ui.pickFolder({ title: `${steps.next()}: the folder of CSRs, one thing per file`, defaultUri: projectUri }));
}

export async function chooseRegistration(deps: Deps, steps: StepTitles): Promise<Registration> {
  const items: PickItem<boolean>[] = [
    { label: REGISTRATION.perThing, description: 'default; a few AWS IoT calls per thing', value: false },
    { label: REGISTRATION.bulk, description: 'input file in an S3 bucket', value: true },
  ];
  const bulk = required(await deps.ui.pick(items, { title: `${steps.next()}: Registration`, placeHolder: 'How the things are registered in AWS IoT' }));
  if (!bulk) return { bulk };
  steps.total += 1; // the bucket input
  const bucket = required(await deps.ui.input({
    title: `${steps.next()}: bucket`,
    prompt: 'An existing S3 bucket for the task\'s input file (empty: zaws creates zaws-bulk-registration-<account>-<region>)',
    validate: (t) => (t === '' ? undefined : check.bucketName(t)),
  }));
  return bucket ? { bulk, bucket } : { bulk };
}

/** The request params of these choices: none for AWS's keys one call per thing. */
export function keyParams(keys: KeySource, registration: Registration, csrDir?: string): Partial<AddThingsParams> {
  return {
    ...(keys.kind === 'local' ? { keys: 'local' as const, keyType: keys.keyType } : {}),
    ...(keys.kind === 'csr' && csrDir ? { csrDir } : {}),
    ...(registration.bulk ? { bulk: true, ...(registration.bucket ? { bucket: registration.bucket } : {}) } : {}),
  };
}

/** Sentences for the result: who made the keys, which CSR became which thing, the bulk task. */
export function keysText(keys: KeySource, added: ThingsAdded): string {
  const parts: string[] = [];
  if (keys.kind === 'aws') parts.push('Keys made by AWS.');
  if (keys.kind === 'local') parts.push(`Keys made here (${KEY_TYPE_NAMES[keys.keyType]}), in each thing's folder.`);
  if (keys.kind === 'csr') {
    const pairs = (added.csrFiles ?? []).map((c) => `${c.csrFile} → ${c.thing}`);
    parts.push(`Keys stay on the devices${pairs.length ? `; certificates for ${summarize(pairs, 3)}` : ''}.`);
  }
  if (added.bulkTaskId) {
    const created = added.bucketCreated && added.bucket ? `; zaws created bucket ${added.bucket} for its input file` : '';
    parts.push(`Registered by bulk task ${added.bulkTaskId}${created}.`);
  }
  return parts.join(' ');
}
