/**
 * What the user sees when something fails: the server's message and hint, and the actions that fix
 * the common cases (no credentials: use the emulator or configure a profile; no server: choose the
 * interpreter). Pure: it maps an error to a description; ../ui.ts shows it and runs the action.
 */
import { ErrorCodes, ErrorKinds } from './protocol';

export type FixAction = 'Use Local Emulator' | 'Configure Profile' | 'Set Python Interpreter' | 'Show Log';

export interface UserError {
  kind: 'cancelled' | 'error';
  message: string;
  actions: FixAction[];
}

/** The server could not be started; `message` already says why and how to fix it. */
export class ServerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerUnavailable';
  }
}

interface RpcLikeError {
  code?: unknown;
  message?: unknown;
  data?: unknown;
}

export function describeError(error: unknown, what: string): UserError {
  if (error instanceof ServerUnavailable) {
    return { kind: 'error', message: error.message, actions: ['Set Python Interpreter', 'Show Log'] };
  }
  const e = (error ?? {}) as RpcLikeError;
  const code = typeof e.code === 'number' ? e.code : undefined;
  const data = (e.data && typeof e.data === 'object' ? e.data : {}) as { code?: unknown; message?: unknown; hint?: unknown };
  if (code === ErrorCodes.requestCancelled || data.code === ErrorKinds.cancelled) {
    return { kind: 'cancelled', message: `${what}: cancelled. What was done so far is kept; run it again to resume.`, actions: [] };
  }
  const message = typeof data.message === 'string' ? data.message : typeof e.message === 'string' ? e.message : String(error);
  const hint = typeof data.hint === 'string' && data.hint ? ` (${data.hint})` : '';
  const noCredentials = data.code === ErrorKinds.credentials || code === ErrorCodes.credentials;
  const actions: FixAction[] = noCredentials ? ['Use Local Emulator', 'Configure Profile'] : ['Show Log'];
  return { kind: 'error', message: `${what} failed: ${message}${hint}`, actions };
}
