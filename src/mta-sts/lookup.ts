import { createNodeResolver } from '../dns/index.js';
import { optionError } from '../internal/options.js';
import { normalizeDomain } from '../policy/index.js';
import { discoverMtaSts, type MtaStsTxtLookup } from './discover.js';
import { type FetchMtaStsPolicyOptions, resolveFetchOptions } from './fetch-options.js';
import { fetchPolicy, type MtaStsPolicyFetch } from './fetch-policy.js';

/** The uncached MTA-STS state of a domain: its TXT record and, when it has one, the fetched policy. */
export interface MtaStsLookup {
  /** The normalized domain (lowercase A-label). */
  readonly domain: string;
  /** The TXT lookup of `_mta-sts.<domain>`. */
  readonly txt: MtaStsTxtLookup;
  /** Present only when `txt.status` is `found`. */
  readonly fetch?: MtaStsPolicyFetch;
}

/**
 * Fetches and parses the MTA-STS policy of `domain` now, without any cache. Throws `EADDRESS` for a
 * malformed domain and `EPOLICY` for a bad option; never for what the network does.
 *
 * @example
 * ```ts
 * const result = await fetchMtaStsPolicy('mandant.test', { connect: network.connect, ca: testCa.cert });
 * if (result.status === 'fetched') console.log(result.policy.mode, result.policy.mx);
 * else console.log(result.failure.reason, result.failure.resultType);
 * ```
 */
export async function fetchMtaStsPolicy(
  domain: string,
  options: FetchMtaStsPolicyOptions = {},
): Promise<MtaStsPolicyFetch> {
  const resolved = resolveFetchOptions(options, 'MTA-STS option');
  return fetchPolicy(normalizeDomain(domain), resolved);
}

/**
 * What a sender would find for `domain` right now, without any cache: the TXT lookup of
 * `_mta-sts.<domain>` and, when it found a valid record, the policy fetch. For diagnostics (the
 * probe, `forced-tls check`); senders use `createMtaStsResolver`, which caches.
 *
 * @example
 * ```ts
 * const { txt, fetch } = await lookupMtaSts('mandant.test', { resolver });
 * console.log(txt.status, txt.id, fetch?.status === 'fetched' ? fetch.policy.mode : fetch?.failure.reason);
 * ```
 */
export async function lookupMtaSts(
  domain: string,
  options: FetchMtaStsPolicyOptions = {},
): Promise<MtaStsLookup> {
  const resolved = resolveFetchOptions(options, 'MTA-STS option');
  const name = normalizeDomain(domain);
  const resolver = resolved.resolver ?? createNodeResolver();
  if (typeof resolver.resolveTxt !== 'function') {
    throw optionError(
      'resolver',
      'no resolveTxt',
      'must implement resolveTxt() for MTA-STS discovery',
      'MTA-STS option',
    );
  }
  const txt = await discoverMtaSts(resolver, name, { timeoutMs: resolved.dnsTimeoutMs });
  if (txt.status !== 'found') return { domain: name, txt };
  const fetch = await fetchPolicy(name, { ...resolved, resolver }, txt.id);
  return { domain: name, txt, fetch };
}
