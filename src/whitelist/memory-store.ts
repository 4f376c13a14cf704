import { ForcedTlsError } from '../errors/index.js';
import { auditQuery } from './audit-query.js';
import type { WhitelistAuditQuery, WhitelistAuditRecord, WhitelistWriteContext } from './audit-types.js';
import { checkId, storedEntry } from './entry-shape.js';
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
  async add(entry: WhitelistEntry, context?: WhitelistWriteContext): Promise<void> {
    const stored = storedEntry(entry);
    const previous = this.#entries.get(stored.id);
    this.#entries.set(stored.id, stored);
    this.#revision++;
    this.#audit.record('add', stored, previous, context);
  }

  /** Deletes by id; `false` when there was no such entry. Rejects a non-string id with `EWHITELIST`. */
  async remove(id: string, context?: WhitelistWriteContext): Promise<boolean> {
    checkId(id);
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#entries.delete(id);
    this.#revision++;
    this.#audit.record('remove', entry, undefined, context);
    return true;
  }

  /** The changes made through this store, oldest first. */
  async audit(query: WhitelistAuditQuery): Promise<readonly WhitelistAuditRecord[]> {
    // Checked again when called directly, not through `Whitelist.audit` (a query passes unchanged).
    return this.#audit.query(auditQuery(query));
  }

  /** A counter that grows with every change. */
  async revision(): Promise<string> {
    return String(this.#revision);
  }
}
