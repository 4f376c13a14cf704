import { describeValue, ForcedTlsError, readShape } from '../errors/index.js';
import { tlsShortfall } from './requirement.js';
import {
  type InboundDecision,
  type InboundTlsState,
  type InboundVerdict,
  TLS_LEVELS,
  TLS_VERSIONS,
} from './types.js';

function refuse(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `evaluateInbound: ${path} ${describeValue(value)} ${why}`, {
    path,
    value,
  });
}

const DECISION_FIELDS = {
  direction: ['inbound'],
  level: TLS_LEVELS,
  minVersion: TLS_VERSIONS,
  source: ['default', 'rule', 'whitelist'],
} as const;

/**
 * Judges an inbound message: may mail with this decision be accepted in a session with this TLS
 * state? Pure; the inbound guard calls it at MAIL FROM.
 */
export function evaluateInbound(decision: InboundDecision, tls: InboundTlsState): InboundVerdict {
  const d = readShape(decision, DECISION_FIELDS, { path: 'decision', optional: false, subject: 'argument' });
  if (d.direction === undefined || d.level === undefined || d.minVersion === undefined) {
    throw refuse('decision', decision, 'must be an inbound decision from policy.inbound()');
  }
  const t = readShape(tls, { protocol: 'any' }, { path: 'tls', optional: false, subject: 'argument' });
  if (t.protocol !== undefined && t.protocol !== null && typeof t.protocol !== 'string') {
    throw refuse('tls.protocol', t.protocol, 'must be the negotiated protocol (a string) or null');
  }
  const read = d as {
    level: InboundDecision['level'];
    minVersion: InboundDecision['minVersion'];
    source?: string;
  };
  const protocol = (t.protocol as string | null | undefined) ?? null;
  if (read.level === 'may') {
    return {
      accept: true,
      reason: read.source === 'whitelist' ? 'whitelisted' : 'tls_not_required',
      decision,
    };
  }
  // Inbound levels are `may` and `encrypt`: the client's certificate is not judged.
  const requirement = { level: read.level, minVersion: read.minVersion, fingerprints: [] };
  const shortfall = tlsShortfall({ protocol, certificateVerified: false }, requirement);
  if (shortfall === 'tls_missing') return { accept: false, reason: 'tls_missing', decision };
  if (shortfall === 'tls_version_too_old') return { accept: false, reason: 'tls_version_too_old', decision };
  return { accept: true, reason: 'tls_ok', decision };
}
