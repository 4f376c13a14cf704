import { ForcedTlsError } from '../errors/index.js';
import { checkId, storedEntry } from './entry-shape.js';
import type { WhitelistEntry, WhitelistStore } from './types.js';

/**
 * A whitelist store in memory: for tests, and for hosts that load entries from elsewhere.
 * Nothing survives the process. Entries are copied and frozen on the way in, so a caller cannot
 * change a stored entry behind the store's back.
 *
 * @example
 * ```ts
 * const whitelist = createWhitelist(new MemoryWhitelistStore());
 * ```
 */
export class MemoryWhitelistStore implements WhitelistStore {
  readonly #entries = new Map<string, WhitelistEntry>();
  #revision = 0;

  /** @param entries initial entries; each must be well-formed and normalized (`EWHITELIST` if not). */
  constructor(entries: Iterable<WhitelistEntry> = []) {
    let list: unknown[];
    try {
      list = Array.from(entries);
    } catch (error) {
      throw new ForcedTlsError('EWHITELIST', 'MemoryWhitelistStore: entries must be an iterable of entries', {
        path: 'entries',
        cause: error,
      });
    }
    for (const entry of list) {
      const stored = storedEntry(entry);
      this.#entries.set(stored.id, stored);
    }
  }

  /** Every entry, expired ones included, in insertion order (a replaced entry keeps its place). */
  async list(): Promise<readonly WhitelistEntry[]> {
    return [...this.#entries.values()];
  }

  /** Stores the entry, replacing one with the same id. Rejects a malformed entry with `EWHITELIST`. */
  async add(entry: WhitelistEntry): Promise<void> {
    const stored = storedEntry(entry);
    this.#entries.set(stored.id, stored);
    this.#revision++;
  }

  /** Deletes by id; `false` when there was no such entry. Rejects a non-string id with `EWHITELIST`. */
  async remove(id: string): Promise<boolean> {
    checkId(id);
    const removed = this.#entries.delete(id);
    if (removed) this.#revision++;
    return removed;
  }

  /** A counter that grows with every change. */
  async revision(): Promise<string> {
    return String(this.#revision);
  }
}
