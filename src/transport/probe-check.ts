import { meetsMinVersion } from '../policy/requirement.js';
import { checkDomainLevel } from '../probe/check-level.js';
import type { Prober } from '../probe/prober.js';
import type { RecipientTlsCheck } from './recipient-check.js';

/**
 * The relay mode's `check-mx` check built on a (caching) prober from `forced-tls/probe`: a recipient
 * passes only if every MX host of its domain meets the level and the minimum TLS version.
 *
 * @example
 * ```ts
 * const prober = createProber({ ehloName: 'mail.kanzlei.de' });
 * createRelayTransport({ ..., recipientProtection: 'check-mx', checkRecipient: createProbeCheck(prober) });
 * ```
 */
export function createProbeCheck(prober: Pick<Prober, 'probe'>): RecipientTlsCheck {
  return async (domain, requirement) => {
    const check = await checkDomainLevel(prober, domain, requirement.level, requirement.fingerprints);
    if (!check.ok) {
      const host = check.failing[0]?.host;
      return {
        ok: false,
        ...(check.code === undefined ? {} : { code: check.code }),
        ...(host === undefined ? {} : { mx: host }),
        message: `${domain}: ${check.reason ?? 'check failed'}`,
      };
    }
    const old = check.result?.hosts.find((h) => !meetsMinVersion(h.protocol, requirement.minVersion));
    if (requirement.level !== 'may' && old !== undefined) {
      return { ok: false, code: 'ETLSVERSION', mx: old.host, message: `${old.host} offers ${old.protocol}` };
    }
    return { ok: true };
  };
}
