import type { MtaStsPolicy } from './types.js';

/**
 * One cached MTA-STS policy of one recipient domain. Plain JSON-safe data; times are ISO 8601 UTC
 * strings (`Date#toISOString()`), absolute, so a store needs no clock.
 */
export interface MtaStsCacheEntry {
  /** The policy domain: exactly the recipient domain, lowercase A-label. The store's key. */
  readonly domain: string;
  /** The TXT id the policy was fetched (or last confirmed) under. */
  readonly id: string;
  /** The policy as parsed when it was fetched. */
  readonly policy: MtaStsPolicy;
  /** When the policy was fetched over HTTPS. */
  readonly fetchedAt: string;
  /** When the TXT id was last seen unchanged (the fetch, or a later renewal). */
  readonly checkedAt: string;
  /** From this instant on the policy must no longer be applied: `checkedAt` + `max_age`. */
  readonly expiresAt: string;
}

/**
 * Persistence for cached MTA-STS policies, keyed by domain. Small and async so a host app can back
 * it with anything (a file, a database shared by several instances). The resolver normalizes
 * domains and validates entries before the store sees them, and decides about expiry itself.
 *
 * Contract (checked by `runMtaStsCacheContract` from `forced-tls/testing`):
 * - `set` stores the entry under `entry.domain`, replacing any entry of that domain; when the
 *   promise resolves, the entry is durable (for a persistent store).
 * - `get` returns the stored entry of exactly that domain, also when it has expired, or `undefined`.
 * - `delete` removes it and resolves `true` if there was one.
 * - Returned entries are not changed by later writes.
 */
export interface MtaStsCacheStore {
  /** The entry of exactly `domain` (expired ones too), or `undefined`. */
  get(domain: string): Promise<MtaStsCacheEntry | undefined>;
  /** Stores (or replaces) the entry of `entry.domain`; durable when the promise resolves. */
  set(entry: MtaStsCacheEntry): Promise<void>;
  /** Removes the entry of `domain`; resolves `true` if there was one. */
  delete(domain: string): Promise<boolean>;
  /** Optional: every stored entry (for listing and purging). */
  list?(): Promise<readonly MtaStsCacheEntry[]>;
  /** Optional: waits for pending writes and releases resources. */
  close?(): Promise<void>;
}
