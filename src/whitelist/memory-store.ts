import { canonicalEntry, checkStoredEntry } from './entry-shape.js';
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
    for (const entry of entries) {
      checkStoredEntry(entry);
      this.#entries.set(entry.id, canonicalEntry(entry));
    }
  }

  /** Every entry, expired ones included, in insertion order (a replaced entry keeps its place). */
  async list(): Promise<readonly WhitelistEntry[]> {
    return [...this.#entries.values()];
  }

  /** Stores the entry, replacing one with the same id. Rejects a malformed entry with `EWHITELIST`. */
  async add(entry: WhitelistEntry): Promise<void> {
    checkStoredEntry(entry);
    this.#entries.set(entry.id, canonicalEntry(entry));
    this.#revision++;
  }

  /** Deletes by id; `false` when there was no such entry. */
  async remove(id: string): Promise<boolean> {
    const removed = this.#entries.delete(id);
    if (removed) this.#revision++;
    return removed;
  }

  /** A counter that grows with every change. */
  async revision(): Promise<string> {
    return String(this.#revision);
  }
}
