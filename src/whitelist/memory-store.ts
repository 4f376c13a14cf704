import type { WhitelistAuditQuery, WhitelistAuditRecord, WhitelistWriteContext } from './audit-types.js';
import { canonicalEntry, checkStoredEntry } from './entry-shape.js';
import { MemoryAuditTrail } from './memory-audit.js';
import type { WhitelistEntry, WhitelistStore } from './types.js';

/**
 * A whitelist store in memory: for tests, and for hosts that load entries from elsewhere.
 * Nothing survives the process. Entries are copied and frozen on the way in, so a caller cannot
 * change a stored entry behind the store's back. Keeps an audit trail of every change made
 * through it (initial entries are not in it).
 *
 * @example
 * ```ts
 * const whitelist = createWhitelist(new MemoryWhitelistStore());
 * ```
 */
export class MemoryWhitelistStore implements WhitelistStore {
  readonly #entries = new Map<string, WhitelistEntry>();
  readonly #audit = new MemoryAuditTrail();
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
  async add(entry: WhitelistEntry, context?: WhitelistWriteContext): Promise<void> {
    checkStoredEntry(entry);
    const stored = canonicalEntry(entry);
    const previous = this.#entries.get(entry.id);
    this.#entries.set(entry.id, stored);
    this.#revision++;
    this.#audit.record('add', stored, previous, context);
  }

  /** Deletes by id; `false` when there was no such entry. */
  async remove(id: string, context?: WhitelistWriteContext): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#entries.delete(id);
    this.#revision++;
    this.#audit.record('remove', entry, undefined, context);
    return true;
  }

  /** The changes made through this store, oldest first. */
  async audit(query: WhitelistAuditQuery): Promise<readonly WhitelistAuditRecord[]> {
    return this.#audit.query(query);
  }

  /** A counter that grows with every change. */
  async revision(): Promise<string> {
    return String(this.#revision);
  }
}
