import type { Classified } from './classify-error.js';
import { SessionError, type SessionSpec } from './open-session.js';
import type { Session } from './session.js';
import type { SessionPool } from './session-pool.js';

/** A session, plus the TLS failure that made a `may` session fall back to plaintext. */
export interface Acquired {
  readonly session: Session;
  readonly tlsFailure?: Classified;
}

const TLS_PHASES = new Set(['handshake', 'certificate']);

/**
 * Gets a checked session from the pool. Only at level `may` (plaintext allowed by the policy) does a
 * failed TLS handshake lead to a second, plaintext session, as Postfix's `may` does; the failure is
 * returned so the report can say what was lost. Every other level fails with the {@link SessionError}.
 */
export async function acquire(pool: SessionPool, spec: SessionSpec): Promise<Acquired> {
  try {
    return { session: await pool.acquire(spec) };
  } catch (error) {
    const tlsLost =
      spec.requirement.level === 'may' &&
      spec.plaintext !== true &&
      error instanceof SessionError &&
      TLS_PHASES.has(error.classified.phase);
    if (!tlsLost) throw error;
    const session = await pool.acquire({ ...spec, key: `${spec.key}|plain`, plaintext: true });
    return { session, tlsFailure: error.classified };
  }
}
