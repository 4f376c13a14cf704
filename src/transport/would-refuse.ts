import { ERROR_CODES } from '../errors/codes.js';
import type { Acquired } from './acquire.js';
import { checkEvidence, type TlsRequirement } from './tls-evidence.js';
import type { WouldRefuse } from './types.js';

/**
 * Testing mode: what enforce mode would have refused for a session opened at `may` — the TLS failure
 * that made it fall back to plaintext, or the shortfall of the TLS it reached against `requirement`.
 */
export function wouldRefuse(acquired: Acquired, requirement: TlsRequirement): WouldRefuse | undefined {
  if (acquired.tlsFailure) return { code: acquired.tlsFailure.code, message: acquired.tlsFailure.message };
  const { session } = acquired;
  const shortfall = checkEvidence(session.evidence, requirement, session.starttlsAdvertised);
  return (
    shortfall && {
      code: shortfall.code,
      message: `${ERROR_CODES[shortfall.code].summary}: ${shortfall.reason}`,
    }
  );
}
