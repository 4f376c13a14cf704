import type { Authentication } from '../policy/index.js';
import type { DomainTier, ProbeReason, ProbeTier } from './tier-types.js';
import type { HostProbe, ProbeResolution } from './types.js';

const TIER_ORDER: readonly ProbeTier[] = ['unknown', 'plaintext', 'encrypted', 'qualified'];
const AUTH_ORDER: readonly Authentication[] = ['none', 'pkix', 'mta-sts', 'pinned', 'dane'];

const rank = (host: HostProbe): [number, number] => [
  TIER_ORDER.indexOf(host.tier?.tier ?? 'unknown'),
  AUTH_ORDER.indexOf(host.tier?.authentication ?? 'none'),
];

function weaker(a: HostProbe, b: HostProbe): HostProbe {
  const [ta, aa] = rank(a);
  const [tb, ab] = rank(b);
  return tb < ta || (tb === ta && ab < aa) ? b : a;
}

/**
 * The best tier a sender can count on for a domain: the tier of the weakest MX host it may use.
 * A host the recipient's DANE or MTA-STS policy refuses (`refused`) is skipped, as a compliant sender
 * skips it; a host that was not reached counts as `unknown`. Without a usable host: `unknown`.
 */
export function domainTier(hosts: readonly HostProbe[], resolution: ProbeResolution): DomainTier {
  const usable = hosts.filter((h) => h.refused === undefined);
  const skipped = hosts.filter((h) => h.refused !== undefined);
  const skippedReasons: ProbeReason[] = skipped.map((h) => ({
    code: 'host_skipped',
    text: `host_skipped: ${h.host}: ${h.refused?.code} (${h.refused?.message})`,
    host: h.host,
  }));
  const base = { usable: usable.map((h) => h.host), skipped: skipped.map((h) => h.host) };
  if (usable.length === 0) {
    const about =
      hosts.length === 0 ? `the domain has no mail host (${resolution})` : 'every host is refused';
    return {
      ...base,
      tier: 'unknown',
      authentication: 'none',
      reasons: [{ code: 'no_hosts', text: `no_hosts: ${about}` }, ...skippedReasons],
    };
  }
  const weakest = usable.reduce(weaker);
  const reasons = usable.flatMap((h) => (h.tier?.reasons ?? []).map((r) => ({ ...r, host: h.host })));
  const tier = weakest.tier?.tier ?? 'unknown';
  return {
    ...base,
    tier,
    authentication: weakest.tier?.authentication ?? 'none',
    weakest: weakest.host,
    // A skipped host is worth saying only where the domain falls short anyway.
    reasons: tier === 'qualified' ? [] : [...reasons, ...skippedReasons],
  };
}
