import { resolveMailHosts } from '../dns/mail-hosts.js';
import { normalizeDomain } from '../policy/normalize.js';
import { domainTier } from './domain-tier.js';
import { probeHostOffers } from './host-offers.js';
import { judgeHost } from './judge-host.js';
import { Limiter } from './limiter.js';
import { type ProbeOptions, type ResolvedProbeOptions, resolveProbeOptions } from './options.js';
import { lookupHostDane, resolveDomainDane } from './probe-dane.js';
import { resolveDomainMtaSts, withMatches } from './probe-mta-sts.js';
import { satisfiedLevels, seenFingerprints } from './summarize.js';
import type { ProbeResult } from './types.js';

/**
 * Probes an already normalized domain: the MX lookup, the MTA-STS policy and the DNSSEC MX answer
 * side by side; then per host its conversation (through `limiter`) beside its DNSSEC lookups; then
 * the judgement of each host and of the domain.
 */
export async function runProbe(
  domain: string,
  options: ResolvedProbeOptions,
  limiter: Limiter,
): Promise<ProbeResult> {
  const checkedAt = options.clock().toISOString();
  const [found, mtaSts, dane] = await Promise.all([
    resolveMailHosts(options.resolver, domain),
    resolveDomainMtaSts(domain, options),
    resolveDomainDane(domain, options),
  ]);
  const hosts = await Promise.all(
    found.hosts.map(async ({ host, priority }) => {
      const [conversation, daneLookups] = await Promise.all([
        limiter.run(() => probeHostOffers(host, priority, options)),
        lookupHostDane(dane, host, options),
      ]);
      return judgeHost(conversation, { domain, mtaSts, dane: daneLookups, now: options.clock() });
    }),
  );
  return {
    domain,
    checkedAt,
    resolution: found.resolution,
    ...(found.dnsError === undefined ? {} : { dnsError: found.dnsError }),
    hosts,
    satisfies: satisfiedLevels(hosts, options.minVersion),
    fingerprints: seenFingerprints(hosts),
    mtaSts: withMatches(mtaSts, hosts),
    dane: dane.report,
    tier: domainTier(hosts, found.resolution),
  };
}

/**
 * Checks the TLS of a domain's mail servers the way a sender meets them, like checktls.com: resolves
 * the MX hosts and, for each, connects, says EHLO, asks for STARTTLS, runs the handshake, judges the
 * certificate against the MX host name, says EHLO again and QUIT. It never sends MAIL FROM.
 *
 * Returns data for every expected outcome (no STARTTLS, bad certificate, DNS failure, timeout, …);
 * throws only for invalid input: `EADDRESS` for a malformed domain, `EPOLICY` for bad options.
 * For repeated checks use `createProber` (cache, coalescing, concurrency limit).
 *
 * @example
 * ```ts
 * const result = await probeDomain('mandant-gmbh.de', { ehloName: 'mail.kanzlei.de' });
 * if (!result.satisfies.verify) console.log(result.hosts.map((h) => `${h.host}: ${h.status}`));
 * ```
 */
export async function probeDomain(domain: string, options?: ProbeOptions): Promise<ProbeResult> {
  const normalized = normalizeDomain(domain);
  const resolved = resolveProbeOptions(options);
  return runProbe(normalized, resolved, new Limiter(Number.POSITIVE_INFINITY));
}
