import type { MxRecord } from '../dns/index.js';
import { type DnssecAnswer, type DnssecResolver, lookupDaneHost } from '../dnssec/index.js';
import { isForcedTlsError } from '../errors/index.js';
import { type MtaStsResolver, mxMatches } from '../mta-sts/index.js';
import type { PublishedDane, PublishedDaneHost, PublishedFacts, PublishedMtaSts } from './published-types.js';
import type { RecheckLimiter } from './recheck-limiter.js';

/** The most MX hosts of one domain whose DANE state is looked up (by preference). */
export const MAX_DANE_HOSTS = 10;

/** Where the TLS policy table learns what a recipient domain publishes. */
export interface PublishedSources {
  /** The MTA-STS resolver; without it MTA-STS is `off`. */
  readonly mtaSts?: MtaStsResolver | undefined;
  /** The DNSSEC-validating resolver; without it DANE is `off`. */
  readonly dnssec?: DnssecResolver | undefined;
  /** Limits the re-checks of cached policies that list no current MX host. */
  readonly rechecks: RecheckLimiter;
}

const OFF_DANE: PublishedDane = Object.freeze({ status: 'off', hosts: Object.freeze([]) });
const OFF_MTA_STS: PublishedMtaSts = Object.freeze({ status: 'off' });

function failedMtaSts(error: unknown): PublishedMtaSts {
  // The resolver rejects only for its store (ESTORE) or a malformed domain (EADDRESS).
  const code = isForcedTlsError(error) ? error.code : 'EINTERNAL';
  const detail = error instanceof Error ? error.message : String(error);
  return { status: 'failed', code, message: `MTA-STS: ${detail}` };
}

async function resolveMtaSts(mtaSts: MtaStsResolver | undefined, domain: string): Promise<PublishedMtaSts> {
  if (mtaSts === undefined) return OFF_MTA_STS;
  try {
    return { status: 'resolved', resolution: await mtaSts.resolve(domain), rechecked: false };
  } catch (error) {
    return failedMtaSts(error);
  }
}

// The mail hosts of a domain, as Postfix finds them: MX hosts by preference, else the domain itself.
function mailHosts(mx: DnssecAnswer<MxRecord>, domain: string): string[] {
  if (mx.kind === 'nodata') return [domain];
  if (mx.kind !== 'records') return [];
  return [...mx.records]
    .sort((a, b) => a.priority - b.priority)
    .map((r) => r.exchange)
    .filter((host, i, all) => host !== '' && host !== '.' && all.indexOf(host) === i);
}

function summarize(hosts: readonly PublishedDaneHost[], truncated: boolean): PublishedDane {
  const base = { hosts, ...(truncated ? { truncated } : {}) };
  const deferred = hosts.find((h) => h.status === 'deferred');
  if (deferred !== undefined) {
    return { status: 'failed', ...base, message: `DNSSEC lookup for ${deferred.host}: ${deferred.reason}` };
  }
  const usable = hosts.filter((h) => h.status === 'dane_required').length;
  if (usable > 0)
    return { status: usable === hosts.length && !truncated ? 'dane_required' : 'partial', ...base };
  if (hosts.some((h) => h.status === 'tls_required')) return { status: 'tls_required', ...base };
  return { status: 'no_dane', ...base };
}

async function lookupDane(
  dnssec: DnssecResolver,
  mx: DnssecAnswer<MxRecord>,
  domain: string,
  port: number,
): Promise<PublishedDane> {
  if (mx.status === 'bogus' || mx.status === 'failed') {
    const detail = mx.message ?? mx.failure ?? mx.status;
    return {
      status: 'failed',
      hosts: [],
      message: `DNSSEC lookup of the MX of ${domain}: ${mx.status} (${detail})`,
    };
  }
  const all = mailHosts(mx, domain);
  const hosts = all.slice(0, MAX_DANE_HOSTS);
  const results = await Promise.all(hosts.map((host) => lookupDaneHost(dnssec, mx, host, { port })));
  return summarize(
    results.map(({ host, requirement }) => ({
      host,
      status: requirement.status,
      reason: requirement.reason,
    })),
    all.length > hosts.length,
  );
}

/**
 * A cached `enforce` policy that lists none of some current MX host may be stale: the recipient
 * moved its mail and published a new policy under a new id. Before answering with the old one, ask
 * for the TXT record again (a new id is fetched at once), at most once per domain per interval.
 */
async function recheckStale(
  sources: PublishedSources,
  mtaSts: PublishedMtaSts,
  mx: DnssecAnswer<MxRecord> | undefined,
  domain: string,
): Promise<PublishedMtaSts> {
  if (mtaSts.status !== 'resolved' || sources.mtaSts === undefined || mx?.kind !== 'records') return mtaSts;
  const { resolution } = mtaSts;
  const patterns = resolution.policy?.mx;
  if (resolution.mode !== 'enforce' || resolution.source !== 'cached' || patterns === undefined)
    return mtaSts;
  const stale = mailHosts(mx, domain).some((host) => !mxMatches(host, patterns));
  if (!stale || !sources.rechecks.allow(domain)) return mtaSts;
  try {
    return { status: 'resolved', resolution: await sources.mtaSts.recheck(domain), rechecked: true };
  } catch (error) {
    return failedMtaSts(error);
  }
}

/**
 * What a recipient domain publishes: its MTA-STS policy (`mtaSts.resolve`, cached) and the DANE
 * state of its MX hosts (`dnssec.mx`, then `lookupDaneHost` per host, the first
 * {@link MAX_DANE_HOSTS} by preference, in parallel). Both run side by side; either part is `off`
 * without its source. Never rejects for what DNS or HTTPS does (those are data); rejects only for a
 * malformed name (`EADDRESS`).
 *
 * @example
 * ```ts
 * const facts = await lookupPublished('mandant.de', 25, { mtaSts, dnssec, rechecks: new RecheckLimiter(clock) });
 * facts.dane.status; // 'dane_required' | 'partial' | 'tls_required' | 'no_dane' | 'failed' | 'off'
 * ```
 */
export async function lookupPublished(
  domain: string,
  port: number,
  sources: PublishedSources,
): Promise<PublishedFacts> {
  const { dnssec } = sources;
  const [mtaSts, mx] = await Promise.all([resolveMtaSts(sources.mtaSts, domain), dnssec?.mx(domain)]);
  const dane =
    dnssec === undefined || mx === undefined ? OFF_DANE : await lookupDane(dnssec, mx, domain, port);
  return { mtaSts: await recheckStale(sources, mtaSts, mx, domain), dane };
}
