import type { LRUCache } from 'lru-cache';
import type { Resolver } from '../dns/index.js';
import type { Clock } from '../whitelist/index.js';
import type { MtaStsCacheEntry, MtaStsCacheStore } from './cache-types.js';
import { discoverMtaSts, type MtaStsTxtLookup } from './discover.js';
import { type MtaStsFailure, mtaStsFailure } from './failure.js';
import type { ResolvedFetchOptions } from './fetch-options.js';
import { fetchPolicy } from './fetch-policy.js';
import { applyEntry, isEntryValid, noPolicy } from './resolution.js';
import type { MtaStsResolution } from './resolver-types.js';
import { deleteEntry, readEntry, writeEntry } from './store-access.js';

/** A recent failed attempt for a domain: no new fetch of `id` (or background refresh) before `retryAt`. */
export interface Backoff {
  /** The TXT id whose fetch failed; `undefined` when the TXT lookup itself failed or found nothing. */
  readonly id: string | undefined;
  readonly failure: MtaStsFailure | undefined;
  /** Epoch milliseconds on the resolver's clock. */
  readonly retryAt: number;
}

/** What a refresh works with. */
export interface RefreshContext {
  readonly resolver: Resolver;
  readonly store: MtaStsCacheStore;
  readonly fetch: ResolvedFetchOptions;
  readonly clock: Clock;
  readonly retryMs: number;
  readonly backoff: LRUCache<string, Backoff>;
}

function entryFor(
  domain: string,
  id: string,
  policy: MtaStsCacheEntry['policy'],
  at: Date,
): MtaStsCacheEntry {
  const iso = at.toISOString();
  const expiresAt = new Date(at.getTime() + policy.maxAge * 1000).toISOString();
  return Object.freeze({ domain, id, policy, fetchedAt: iso, checkedAt: iso, expiresAt });
}

// Remembers a failed attempt. Without a valid cache only a failed fetch matters (it stops the same
// id from being fetched on every send); with one, any failure pauses the background refresh.
function holdOff(
  ctx: RefreshContext,
  domain: string,
  id: string | undefined,
  failure: MtaStsFailure | undefined,
  at: Date,
) {
  ctx.backoff.set(domain, { id, failure, retryAt: at.getTime() + ctx.retryMs });
}

/**
 * No live policy: apply the valid cached one if there is one (RFC 8461 §3.3: "the sender MUST apply
 * that cached policy"), else none. An expired leftover is removed, since it can never apply again.
 */
async function fallback(
  ctx: RefreshContext,
  domain: string,
  entry: MtaStsCacheEntry | undefined,
  txt: MtaStsTxtLookup,
  failure: MtaStsFailure | undefined,
): Promise<MtaStsResolution> {
  const now = ctx.clock();
  if (isEntryValid(entry, now)) return applyEntry('cached', entry, now, { txt, failure });
  if (entry !== undefined) await deleteEntry(ctx.store, domain);
  return noPolicy(domain, now, { txt, failure });
}

/**
 * One refresh of `domain`: read the cache, look up the TXT record, then renew (same id as a valid
 * cached policy), fetch (new domain, expired cache or new id — unless that id failed within
 * `retryMs`), or fall back to the cache. Stores what it learnt; rejects only with `ESTORE`.
 */
export async function refreshDomain(ctx: RefreshContext, domain: string): Promise<MtaStsResolution> {
  const entry = await readEntry(ctx.store, domain);
  const valid = isEntryValid(entry, ctx.clock()) ? entry : undefined;
  const txt = await discoverMtaSts(ctx.resolver, domain, { timeoutMs: ctx.fetch.dnsTimeoutMs });
  const at = ctx.clock();
  if (txt.status === 'dns_error') {
    const code = txt.dnsError ?? 'EUNKNOWN';
    const failure = mtaStsFailure('dns_error', `TXT lookup of ${txt.name} failed (${code})`, at, {
      errorCode: code,
    });
    if (valid !== undefined) holdOff(ctx, domain, undefined, failure, at);
    return fallback(ctx, domain, entry, txt, failure);
  }
  if (txt.status !== 'found' || txt.id === undefined) {
    // No record, several, or an invalid one: no live policy (§3.1). A valid cache still applies.
    if (valid !== undefined) holdOff(ctx, domain, undefined, undefined, at);
    return fallback(ctx, domain, entry, txt, undefined);
  }
  if (valid !== undefined && valid.id === txt.id) {
    // §3.1: the id "MUST uniquely identify a given instance of a policy": same id, same policy.
    const renewed = { ...entryFor(domain, valid.id, valid.policy, at), fetchedAt: valid.fetchedAt };
    await writeEntry(ctx.store, renewed);
    ctx.backoff.delete(domain);
    return applyEntry('renewed', renewed, at, { txt });
  }
  const recent = ctx.backoff.get(domain);
  if (recent !== undefined && recent.id === txt.id && at.getTime() < recent.retryAt) {
    return fallback(ctx, domain, entry, txt, recent.failure);
  }
  const fetched = await fetchPolicy(domain, { ...ctx.fetch, resolver: ctx.resolver }, txt.id);
  const done = ctx.clock();
  if (fetched.status === 'failed') {
    holdOff(ctx, domain, txt.id, fetched.failure, done);
    return fallback(ctx, domain, entry, txt, fetched.failure);
  }
  ctx.backoff.delete(domain);
  const fresh = entryFor(domain, txt.id, fetched.policy, done);
  // max_age 0 expires at once: the policy applies to this resolution only and is not kept.
  if (fetched.policy.maxAge > 0) await writeEntry(ctx.store, fresh);
  else if (entry !== undefined) await deleteEntry(ctx.store, domain);
  return applyEntry('fetched', fresh, done, { txt });
}
