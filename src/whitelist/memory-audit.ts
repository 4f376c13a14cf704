import type { WhitelistAuditQuery, WhitelistAuditRecord, WhitelistWriteContext } from './audit-types.js';
import type { WhitelistEntry } from './types.js';

/**
 * The audit trail of a {@link MemoryWhitelistStore}: appended in the same synchronous step as the
 * change, so it can never miss one. Without a context (a store used directly) the actor is the
 * entry's approver for an add and `unknown` for a removal, the time the system clock's.
 */
export class MemoryAuditTrail {
  readonly #records: WhitelistAuditRecord[] = [];

  record(
    type: 'add' | 'remove',
    entry: WhitelistEntry,
    previous: WhitelistEntry | undefined,
    context: WhitelistWriteContext | undefined,
  ): void {
    const actor = context?.actor ?? (type === 'add' ? entry.approvedBy : 'unknown');
    const at = context?.at ?? new Date().toISOString();
    const seq = this.#records.length + 1;
    this.#records.push(
      Object.freeze({ seq, type, entry, actor, at, ...(previous === undefined ? {} : { previous }) }),
    );
  }

  query(query: WhitelistAuditQuery): readonly WhitelistAuditRecord[] {
    const since = query.since === undefined ? undefined : Date.parse(query.since);
    const found: WhitelistAuditRecord[] = [];
    for (const record of this.#records.slice(query.afterSeq)) {
      if (found.length >= query.limit) break;
      if (since === undefined || Date.parse(record.at) >= since) found.push(record);
    }
    return found;
  }
}
