import type { Clock } from '../internal/clock.js';
import type { Direction, MatchScope, WhitelistEntry, WhitelistIndex } from '../policy/index.js';
import type {
  WhitelistAuditOptions,
  WhitelistAuditQuery,
  WhitelistAuditRecord,
  WhitelistChange,
  WhitelistWriteContext,
} from './audit-types.js';

export type { Clock } from '../internal/clock.js';
export type { WhitelistEntry } from '../policy/index.js';
export type { WhitelistChange } from './audit-types.js';

/** What a caller supplies to add an entry; core validates and normalizes it. */
export interface WhitelistEntryInput {
  /** `outbound` (recipients) or `inbound` (senders). */
  readonly direction: Direction;
  /** `domain` (exactly that domain), `subdomains` (any subdomain, any depth) or `address`. */
  readonly scope: MatchScope;
  /** The domain or address as written; it is normalized (IDN to A-label, lowercase). */
  readonly value: string;
  /** Why plaintext is acceptable. Required, at most `MAX_REASON_LENGTH` characters. */
  readonly reason: string;
  /** Who approved it. Required, at most `MAX_NAME_LENGTH` characters. */
  readonly approvedBy: string;
  /** Reference to the client's written consent (e.g. a document number). */
  readonly consentRef?: string;
  /** After this instant the entry is ignored (an ISO 8601 string or a Date). @default never */
  readonly expiresAt?: string | Date;
  /** Allow an entry on a public suffix such as `co.uk`. @default false */
  readonly allowPublicSuffix?: boolean;
}

/**
 * Persistence for whitelist entries. Small and async so a host app can back it with anything.
 * Core validates and normalizes entries before the store sees them; a store only keeps them.
 *
 * Contract (checked by `runWhitelistStoreContract` from `forced-tls/testing`):
 * - `add` stores the entry; when the promise resolves, the entry is durable. Adding an entry whose
 *   `id` exists replaces it.
 * - `remove` deletes by id and resolves `true` if something was deleted.
 * - `list` returns every stored entry, expired ones included (core filters by time).
 *
 * `createWhitelist` passes a {@link WhitelistWriteContext} (actor, time) as the second argument of
 * `add` and `remove`; a store without an audit trail ignores it. A store that keeps one in step
 * with the entries implements `audit()`, which backs `Whitelist.audit()`.
 */
export interface WhitelistStore {
  /** Every stored entry, expired ones included. */
  list(): Promise<readonly WhitelistEntry[]>;
  /** Stores (or, same `id`, replaces) an entry; durable when the promise resolves. */
  add(entry: WhitelistEntry, context?: WhitelistWriteContext): Promise<void>;
  /** Deletes by id; resolves `true` if something was deleted. */
  remove(id: string, context?: WhitelistWriteContext): Promise<boolean>;
  /** Optional: the audit trail, oldest first; see {@link WhitelistAuditQuery}. */
  audit?(query: WhitelistAuditQuery): Promise<readonly WhitelistAuditRecord[]>;
  /**
   * Optional: a cheap token that changes whenever the stored entries change, also when another
   * process changed them. Lets callers skip reloading an unchanged store.
   */
  revision?(): Promise<string>;
  /** Optional: release resources. */
  close?(): Promise<void>;
}

/** Options for {@link Whitelist.list}. */
export interface WhitelistListOptions {
  /** Also return entries whose `expiresAt` has passed. @default false */
  readonly includeExpired?: boolean;
}

/** Options for `createWhitelist`. */
export interface WhitelistOptions {
  /** Source of the current time for `createdAt`, expiry and events. @default () => new Date() */
  readonly clock?: Clock;
  /** Called after every change the store has confirmed; see {@link Whitelist.on}. */
  readonly onChange?: (change: WhitelistChange) => void;
}

/**
 * The whitelist as the host app uses it: validates and normalizes input, stamps entries, filters
 * expired ones and reports every change. Created by `createWhitelist(store)`.
 */
export interface Whitelist {
  /**
   * Validates, normalizes and stores an entry; resolves once the store has it durably. An entry with
   * the same direction, scope and value replaces the existing one (keeping its id). Rejects with
   * `EWHITELIST` (field in `error.path`) for invalid input, `ESTORE` when the store fails.
   * @param actor who made the change, for the audit trail. @default input.approvedBy
   */
  add(input: WhitelistEntryInput, actor?: string): Promise<WhitelistEntry>;
  /** Removes an entry by id; resolves `false` when there was none. */
  remove(id: string, actor: string): Promise<boolean>;
  /** Entries in store order; expired ones only with `includeExpired`. */
  list(options?: WhitelistListOptions): Promise<readonly WhitelistEntry[]>;
  /** The live entry for this direction and exact normalized pattern, if any. */
  find(direction: Direction, pattern: string, scope?: MatchScope): Promise<WhitelistEntry | undefined>;
  /** An index of the live entries for the policy; reloaded only when the store changed. */
  snapshot(): Promise<WhitelistIndex>;
  /**
   * The store's audit trail, oldest first: every add, replacement and removal with actor and time.
   * Rejects with `EUNSUPPORTED` when the store keeps none (the file store), `EPOLICY` for invalid
   * options, `ESTORE` when the store fails.
   */
  audit(options?: WhitelistAuditOptions): Promise<readonly WhitelistAuditRecord[]>;
  /** Registers an audit-trail listener; see the `onChange` option. */
  on(event: 'change', listener: (change: WhitelistChange) => void): this;
  /** Removes a listener registered with `on('change', …)`. */
  off(event: 'change', listener: (change: WhitelistChange) => void): this;
}
