/**
 * The labels of Add Things' quick pick items that the steps choose, as src/commands/keySource.ts
 * words them (e2e/ is compiled on its own, from its own folder, so it repeats them).
 */
export const KEYS = {
  aws: 'Made by AWS (RSA 2048, as the original)',
  ecP256: 'Made here: EC P-256',
  csr: 'From a folder of CSRs (key stays on the device / secure element)',
} as const;

export const REGISTRATION = {
  perThing: 'One call per thing',
} as const;
