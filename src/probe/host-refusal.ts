import { ERROR_CODES } from '../errors/index.js';
import type { HostDane } from './dane-types.js';
import type { HostMtaSts } from './mta-sts-types.js';
import { wasReached } from './reached.js';
import type { HostRefusal } from './tier-types.js';
import type { HostProbe } from './types.js';

// RFC 8460 §4.3.2 result types for what an `enforce` policy refuses.
function mtaStsResultType(host: HostProbe, mtaSts: HostMtaSts): string {
  if (mtaSts.verdict === 'tls_missing') return 'starttls-not-supported';
  if (mtaSts.verdict !== 'certificate_invalid') return 'validation-failure';
  if (host.status === 'cert_expired') return 'certificate-expired';
  if (host.status === 'cert_invalid') return 'certificate-not-trusted';
  return 'certificate-host-mismatch';
}

/**
 * Whether a sender that applies the recipient's DANE and MTA-STS must not deliver to this host now,
 * and why. DANE first (RFC 8461 §2): where DANE accepted the session, MTA-STS is not consulted. A
 * host that was not reached is refused only for what DNSSEC alone says (a failed lookup).
 */
export function hostRefusal(
  host: HostProbe,
  dane: HostDane | undefined,
  mtaSts: HostMtaSts | undefined,
): HostRefusal | undefined {
  if (dane !== undefined && !dane.verdict.ok) {
    const { code, transient, tlsRpt, message } = dane.verdict;
    if (code !== 'ENOSTARTTLS' || wasReached(host)) return { by: 'dane', code, transient, tlsRpt, message };
    return undefined;
  }
  if (dane?.status === 'dane_required') return undefined;
  if (mtaSts?.refuses !== true) return undefined;
  return {
    by: 'mta-sts',
    code: 'EMTASTS',
    transient: ERROR_CODES.EMTASTS.transient,
    tlsRpt: mtaStsResultType(host, mtaSts),
    message: `MTA-STS enforce: ${mtaSts.verdict} for ${host.host}`,
  };
}
