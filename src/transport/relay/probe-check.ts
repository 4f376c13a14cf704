import { isRecord } from '../../internal/index.js';
import type { TlsRequirement } from '../../policy/index.js';
import { checkArguments, checkDomainLevel } from '../../probe/check-level.js';
import type { Prober } from '../../probe/prober.js';
import type { RecipientTlsCheck } from './mx-check-types.js';

/**
 * The relay mode's `check-mx` check built on a (caching) prober from `forced-tls/probe`: a recipient
 * passes only if every MX host of its domain meets the level and the minimum TLS version, and what
 * the recipient publishes: usable DANE TLSA records must match (with a `dnssec` resolver), an
 * MTA-STS `enforce` policy must list the host; level `qualified` needs the `qualified` tier.
 *
 * @example
 * ```ts
 * const prober = createProber({ ehloName: 'mail.kanzlei.de' });
 * createRelayTransport({ ..., recipientProtection: 'check-mx', checkRecipient: createProbeCheck(prober) });
 * ```
 */
export function createProbeCheck(prober: Pick<Prober, 'probe'>): RecipientTlsCheck {
  // The prober is checked now, not at the first message.
  checkArguments(prober, '', 'may', [], undefined);
  return async (domain, requirement) => {
    const { level, fingerprints, minVersion } = isRecord(requirement) ? requirement : ({} as TlsRequirement);
    const check = await checkDomainLevel(prober, domain, level, fingerprints, minVersion);
    if (!check.ok) {
      const host = check.failing[0]?.host;
      return {
        ok: false,
        ...(check.code === undefined ? {} : { code: check.code }),
        ...(host === undefined ? {} : { mx: host }),
        message: `${domain}: ${check.reason ?? 'check failed'}${check.detail === undefined ? '' : ` (${check.detail})`}`,
      };
    }
    return { ok: true };
  };
}
