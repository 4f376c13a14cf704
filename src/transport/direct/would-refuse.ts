import type { TlsRequirement } from '../../policy/requirement.js';
import { checkEvidence, evidenceRefusal } from '../session/tls-evidence.js';
import type { WouldRefuse } from '../types.js';
import type { Acquired } from './may-fallback.js';

/**
 * Testing mode: what enforce mode would have refused for a session opened at `may` — the TLS failure
 * that made it fall back to plaintext, or the shortfall of the TLS it reached against `requirement`.
 */
export function wouldRefuse(acquired: Acquired, requirement: TlsRequirement): WouldRefuse | undefined {
  if (acquired.tlsFailure) return { code: acquired.tlsFailure.code, message: acquired.tlsFailure.message };
  const { session } = acquired;
  const shortfall = checkEvidence(session.evidence, requirement, session.starttlsAdvertised);
  if (shortfall === undefined) return undefined;
  const { code, message } = evidenceRefusal(shortfall);
  return { code, message };
}
