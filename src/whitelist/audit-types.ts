import type { WhitelistEntry } from '../policy/index.js';

/** A change to the whitelist, for the host app's audit trail. */
export interface WhitelistChange {
  /** Whether the entry was added or removed. */
  readonly type: 'add' | 'remove';
  /** The entry added or removed. */
  readonly entry: WhitelistEntry;
  /** Who made the change. */
  readonly actor: string;
  /** When the change was made (ISO 8601, from the whitelist's clock). */
  readonly at: string;
  /** For an `add` that replaced an entry with the same direction, scope and value: the old entry. */
  readonly previous?: WhitelistEntry;
}

/**
 * Who makes a change and when, handed by `createWhitelist` to a store's `add` and `remove`, so
 * that a store with an audit trail can write it in the same transaction as the change.
 */
export interface WhitelistWriteContext {
  /** Who made the change (the `actor` of `Whitelist.add`/`remove`). */
  readonly actor: string;
  /** When, as ISO 8601 from the whitelist's clock. */
  readonly at: string;
}

/**
 * One row of a store's audit trail: a {@link WhitelistChange} with its sequence number. An `add`
 * that replaced an entry carries the replaced one as `previous`.
 */
export interface WhitelistAuditRecord extends WhitelistChange {
  /** Position in the trail: 1, 2, 3 … in the order the changes were committed, without gaps. */
  readonly seq: number;
}

/** What a store's `audit()` is asked for; `createWhitelist` has checked every field. */
export interface WhitelistAuditQuery {
  /** Only records whose `at` is at or after this ISO 8601 instant. */
  readonly since?: string;
  /** Only records with a `seq` greater than this (for paging). */
  readonly afterSeq: number;
  /** At most this many records, oldest first. */
  readonly limit: number;
}

/** Options for `Whitelist.audit()`. */
export interface WhitelistAuditOptions {
  /** Only changes made at or after this instant (a `Date`, or ISO 8601 with a zone or a date alone). */
  readonly since?: Date | string;
  /** Only records after this `seq`: pass the last `seq` of one page to get the next. @default 0 */
  readonly afterSeq?: number;
  /** At most this many records (1 … 10 000), oldest first. @default 1000 */
  readonly limit?: number;
}
