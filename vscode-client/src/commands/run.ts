/**
 * The one place a command's failure becomes a message: a dismissed prompt ends it quietly, a
 * problem the user can fix is shown as is, a server error gets its hint and fix actions.
 */
import type { Deps } from './deps';
import { Dismissed, Problem } from './shared';
import { describeError } from '../core/errors';

export async function runCommand<T>(deps: Deps, what: string, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Dismissed) return undefined;
    if (error instanceof Problem) {
      await deps.ui.showError({ kind: 'error', message: error.message, actions: [] });
      return undefined;
    }
    await deps.ui.showError(describeError(error, what));
    return undefined;
  }
}
