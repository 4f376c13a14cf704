import type { DomainTier, HostProbe, ProbeReason, ProbeTier } from '../probe/index.js';
import { hostCode } from './check-codes.js';
import type { Row } from './check-mta-sts-text.js';
import type { Paint } from './color.js';
import { printable } from './printable.js';

const TIER_COLOR = { qualified: 'green', encrypted: 'yellow', plaintext: 'red', unknown: 'yellow' } as const;

function tierText(tier: ProbeTier, authentication: string, paint: Paint): string {
  return `${paint(tier, TIER_COLOR[tier])} (${authentication})`;
}

// A host that was not reached is named with the library's code (ETIMEOUT, ECONNECT), as in its
// `error` line; the socket's code the probe's reason quotes stays in the JSON.
function reasonText(reason: ProbeReason, host: HostProbe | undefined): string {
  const about = reason.host !== undefined && !reason.text.includes(reason.host) ? `${reason.host}: ` : '';
  const code = host === undefined ? undefined : hostCode(host);
  const text =
    reason.code === 'not_reached' && host !== undefined
      ? `not_reached: ${host.status}${code === undefined ? '' : ` (${code})`}: nothing proven about its TLS`
      : reason.text;
  return printable(`${about}${text}`);
}

/**
 * The `tier` rows of one MX host: the tier and authentication of its session, then each reason it is
 * not `qualified`.
 *
 * @example
 * ```text
 * tier        encrypted (pkix)
 *             outside_bsi_profile: peer key rsa 2048 bits
 *             not_authenticated: pkix only (the MX name came from unauthenticated DNS)
 * ```
 */
export function hostTierRows(host: HostProbe, paint: Paint): Row[] {
  const tier = host.tier;
  if (tier === undefined) return [['tier', '-']];
  return [
    ['tier', tierText(tier.tier, tier.authentication, paint)],
    ...tier.reasons.map((r): Row => ['', reasonText(r, host)]),
  ];
}

/**
 * The domain's `best tier` rows: the best tier a sender can count on, the host that decides it (the
 * weakest one a sender may use), the hosts a compliant sender skips, and the reasons.
 *
 * @example
 * ```text
 * best tier  encrypted (pkix), decided by mx2.mandant.test
 *            mx2.mandant.test: not_authenticated: pkix only (the MX name came from unauthenticated DNS)
 * ```
 */
export function bestTierRows(tier: DomainTier | undefined, hosts: readonly HostProbe[], paint: Paint): Row[] {
  if (tier === undefined) return [['best tier', '-']];
  const by = tier.weakest === undefined ? '' : `, decided by ${printable(tier.weakest)}`;
  const rows: Row[] = [['best tier', `${tierText(tier.tier, tier.authentication, paint)}${by}`]];
  if (tier.skipped.length > 0) {
    rows.push(['', printable(`skipped by a compliant sender: ${tier.skipped.join(', ')}`)]);
  }
  for (const r of tier.reasons)
    rows.push([
      '',
      reasonText(
        r,
        hosts.find((h) => h.host === r.host),
      ),
    ]);
  return rows;
}
