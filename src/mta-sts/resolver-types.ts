import type { MtaStsCacheEntry, MtaStsCacheStore } from './cache-types.js';
import type { MtaStsTxtLookup } from './discover.js';
import type { MtaStsFailure } from './failure.js';
import type { FetchMtaStsPolicyOptions } from './fetch-options.js';
import type { MtaStsMode, MtaStsPolicy } from './types.js';

/**
 * Where the policy of a resolution came from:
 * - `fetched`: fetched over HTTPS by this resolution (new domain, expired cache, or a new TXT id);
 * - `renewed`: the cached policy, whose TXT id this resolution found unchanged: its lifetime restarted
 *   without a fetch;
 * - `cached`: the cached policy, applied without DNS (still valid), or because DNS or HTTPS failed or
 *   the TXT record is gone (see `txt` and `failure`);
 * - `none`: no policy applies: the domain publishes none, or it could not be fetched and nothing valid
 *   is cached (see `failure`).
 */
export type MtaStsSource = 'fetched' | 'renewed' | 'cached' | 'none';

/** The policy to apply to one recipient domain, and how it was obtained. Plain frozen data. */
export interface MtaStsResolution {
  /** The policy domain: exactly the recipient domain, lowercase A-label. */
  readonly domain: string;
  /** Where the policy came from: `fetched`, `renewed`, `cached`, or `none` when no policy applies. */
  readonly source: MtaStsSource;
  /** The mode to apply: the policy's, or `none` without a policy. */
  readonly mode: MtaStsMode;
  /** The policy to apply; absent for `none`. */
  readonly policy?: MtaStsPolicy;
  /** The TXT id of the applied policy. */
  readonly id?: string;
  /** When the applied policy was fetched over HTTPS (ISO 8601). */
  readonly fetchedAt?: string;
  /** When its TXT id was last confirmed (the fetch or a renewal). */
  readonly checkedAt?: string;
  /** When it stops being applied unless renewed. */
  readonly expiresAt?: string;
  /** Whole seconds since `fetchedAt`: how old the applied policy is (0 when just fetched). */
  readonly ageSeconds?: number;
  /** The TXT lookup this resolution made; absent when a valid cached policy answered without DNS. */
  readonly txt?: MtaStsTxtLookup;
  /**
   * Why no live policy was obtained: a DNS failure, or the fetch or parse failure of the current id
   * (`failure.at` tells when; within `retryAfterFailureMs` of a failed fetch the same id is not
   * fetched again, and that failure is repeated here).
   */
  readonly failure?: MtaStsFailure;
  /** True when a background refresh of this domain is running (started by this or an earlier call). */
  readonly refreshing: boolean;
  /** When this resolution was made (the resolver's clock). */
  readonly resolvedAt: string;
}

/** The result of `recheck`: a resolution made with a fresh TXT lookup, and whether the policy changed. */
export interface MtaStsRecheck extends MtaStsResolution {
  /** The id of the valid cached policy before the re-check, if there was one. */
  readonly previousId?: string;
  /** True when the policy to apply now has another id than before (or appeared or disappeared). */
  readonly changed: boolean;
}

/** What `onRefreshError` receives when a background refresh could not confirm or replace a cached policy. */
export interface MtaStsRefreshError {
  /** The policy domain whose refresh failed (lowercase A-label). */
  readonly domain: string;
  /** The cached entry that stays in force until it expires, if one does. */
  readonly cached?: MtaStsCacheEntry;
  /** The refresh's result (its `failure`, or a `txt` status other than `found`). */
  readonly resolution?: MtaStsResolution;
  /** A store failure (`ESTORE`) that ended the refresh. */
  readonly error?: unknown;
}

/** Options of `createMtaStsResolver`. */
export interface MtaStsResolverOptions extends FetchMtaStsPolicyOptions {
  /** Where policies are cached. Use `FileMtaStsCacheStore` to keep them across restarts. @default a new `MemoryMtaStsCacheStore` */
  readonly store?: MtaStsCacheStore;
  /**
   * A valid cached policy is refreshed in the background (TXT lookup; a fetch only for a new id) when
   * its id was last confirmed this long ago — at most once per interval per domain.
   * @default 86400000 (one day, RFC 8461 §3.3's suggestion)
   */
  readonly refreshIntervalMs?: number;
  /**
   * After a failed fetch for a TXT id, or a failed background refresh, that id is not fetched again
   * (and the refresh not retried) for this long. RFC 8461 §3.3 suggests five minutes or more.
   * @default 300000
   */
  readonly retryAfterFailureMs?: number;
  /** Called when a background refresh failed or found the TXT record gone; the cached policy stays in force. */
  readonly onRefreshError?: (event: MtaStsRefreshError) => void;
}

/** Finds and caches the MTA-STS policies of recipient domains. Created by `createMtaStsResolver`. */
export interface MtaStsResolver {
  /**
   * The policy to apply to mail for exactly `domain` (never a parent's), and where it came from.
   * Concurrent calls for one domain share one store read, TXT lookup and fetch. Rejects only with
   * `EADDRESS` (malformed domain) or `ESTORE` (the cache store failed: it cannot be known whether an
   * `enforce` policy is cached, so the caller must not deliver as if there were none).
   */
  resolve(domain: string): Promise<MtaStsResolution>;
  /**
   * RFC 8461 §5.1: call before failing a message permanently because of an `enforce` policy. Looks
   * up the TXT record again (a lookup that starts after this call) and fetches the policy when the
   * id changed; `changed` tells whether another policy applies now. Rejects like `resolve`.
   */
  recheck(domain: string): Promise<MtaStsRecheck>;
  /** Removes the cached policy of `domain` (an operator's purge); resolves `true` if there was one. */
  forget(domain: string): Promise<boolean>;
  /** Resolves when no background refresh is running. */
  idle(): Promise<void>;
  /** Starts no more background refreshes and waits for running ones. Does not close the store. */
  close(): Promise<void>;
}
