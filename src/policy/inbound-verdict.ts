import type { InboundDecision, InboundTlsState, InboundVerdict } from './types.js';
import { TLS_VERSIONS, type TlsVersion } from './types.js';

const ORDER: Readonly<Record<string, number>> = { TLSv1: 0, 'TLSv1.1': 1, 'TLSv1.2': 2, 'TLSv1.3': 3 };

/** True when a negotiated protocol string (`socket.getProtocol()`) is at least `min`. */
export function meetsMinVersion(protocol: string | null | undefined, min: TlsVersion): boolean {
  if (protocol == null) return false;
  const have = ORDER[protocol];
  const need = ORDER[min] ?? ORDER[TLS_VERSIONS[0]!]!;
  return have !== undefined && have >= need;
}

/**
 * Judges an inbound message: may mail with this decision be accepted in a session with this TLS
 * state? Pure; the inbound guard calls it at MAIL FROM.
 */
export function evaluateInbound(decision: InboundDecision, tls: InboundTlsState): InboundVerdict {
  if (decision.level === 'may') {
    return {
      accept: true,
      reason: decision.source === 'whitelist' ? 'whitelisted' : 'tls_not_required',
      decision,
    };
  }
  if (tls.protocol == null) return { accept: false, reason: 'tls_missing', decision };
  if (!meetsMinVersion(tls.protocol, decision.minVersion)) {
    return { accept: false, reason: 'tls_version_too_old', decision };
  }
  return { accept: true, reason: 'tls_ok', decision };
}
