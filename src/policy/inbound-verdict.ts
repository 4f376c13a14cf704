import { tlsShortfall } from './requirement.js';
import type { InboundDecision, InboundTlsState, InboundVerdict } from './types.js';

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
  // Inbound levels are `may` and `encrypt`: the client's certificate is not judged.
  const shortfall = tlsShortfall({ protocol: tls.protocol, certificateVerified: false }, decision);
  if (shortfall === 'tls_missing') return { accept: false, reason: 'tls_missing', decision };
  if (shortfall === 'tls_version_too_old') return { accept: false, reason: 'tls_version_too_old', decision };
  return { accept: true, reason: 'tls_ok', decision };
}
