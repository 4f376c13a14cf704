import type { Direction, MatchScope } from '../policy/types.js';

/**
 * One whitelist entry: a recipient (outbound) or sender (inbound) that may be mailed without TLS.
 * Entries are plain JSON-safe data; times are ISO 8601 strings.
 */
export interface WhitelistEntry {
  /** Stable id, assigned when the entry is added. */
  readonly id: string;
  readonly direction: Direction;
  /** `domain` (exactly that domain), `subdomains` (any subdomain, any depth) or `address`. */
  readonly scope: MatchScope;
  /** Normalized value: lowercase A-label domain, or `local@domain` (local part lowercased). */
  readonly value: string;
  /** Why plaintext is acceptable. Required. */
  readonly reason: string;
  /** Who approved it. Required. */
  readonly approvedBy: string;
  /** Reference to the client's written consent (e.g. a document number). */
  readonly consentRef?: string;
  readonly createdAt: string;
  /** After this instant the entry is ignored. */
  readonly expiresAt?: string;
}

/** What a caller supplies to add an entry; core validates and normalizes it. */
export interface WhitelistEntryInput {
  readonly direction: Direction;
  readonly scope: MatchScope;
  readonly value: string;
  readonly reason: string;
  readonly approvedBy: string;
  readonly consentRef?: string;
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
 */
export interface WhitelistStore {
  list(): Promise<readonly WhitelistEntry[]>;
  add(entry: WhitelistEntry): Promise<void>;
  remove(id: string): Promise<boolean>;
  /**
   * Optional: a cheap token that changes whenever the stored entries change, also when another
   * process changed them. Lets callers skip reloading an unchanged store.
   */
  revision?(): Promise<string>;
  /** Optional: release resources. */
  close?(): Promise<void>;
}

/** A change to the whitelist, for the host app's audit trail. */
export interface WhitelistChange {
  readonly type: 'add' | 'remove';
  readonly entry: WhitelistEntry;
  /** Who made the change. */
  readonly actor: string;
  readonly at: string;
}

/** A clock, injected so that tests never sleep. */
export type Clock = () => Date;
