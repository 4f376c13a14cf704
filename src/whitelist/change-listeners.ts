import { ForcedTlsError } from '../errors/forced-tls-error.js';
import type { WhitelistChange } from './types.js';

/** A listener for whitelist changes. */
export type ChangeListener = (change: WhitelistChange) => void;

/**
 * The audit-trail listeners of one whitelist. Unlike `EventEmitter.emit`, a throwing listener does
 * not stop the others: every listener sees every change, and the first error is rethrown after all
 * of them ran, so a failing audit trail is loud without hiding the change from the rest.
 */
export class ChangeListeners {
  readonly #listeners: ChangeListener[] = [];

  add(listener: ChangeListener): void {
    if (typeof listener !== 'function') {
      throw new ForcedTlsError('EPOLICY', 'A whitelist change listener must be a function', {
        path: 'listener',
        value: listener,
      });
    }
    this.#listeners.push(listener);
  }

  /** Removes one registration of `listener`, the most recent first (as `EventEmitter.off`). */
  remove(listener: ChangeListener): void {
    const index = this.#listeners.lastIndexOf(listener);
    if (index >= 0) this.#listeners.splice(index, 1);
  }

  emit(change: WhitelistChange): void {
    let failure: { error: unknown } | undefined;
    // A copy, so that a listener removing itself does not make the next one skipped.
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }
}
