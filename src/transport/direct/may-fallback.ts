import type { Refusal } from '../refusal.js';
import { SessionError } from '../session/open-session.js';
import type { Session } from '../session/session.js';
import type { SessionPool } from '../session/session-pool.js';
import type { SessionSpec } from '../session/session-spec.js';

/** A session, plus the TLS failure that made a `may` session fall back to plaintext. */
export interface Acquired {
  readonly session: Session;
  readonly tlsFailure?: Refusal;
}

const TLS_PHASES = new Set(['handshake', 'certificate']);

/**
 * Gets a checked session from the pool. Only at level `may` (plaintext allowed by the policy) does a
 * failed TLS handshake lead to a second, plaintext session, as Postfix's `may` does; the failure is
 * returned so the report can say what was lost. Every other level fails with the {@link SessionError}.
 */
export async function acquireWithMayFallback(pool: SessionPool, spec: SessionSpec): Promise<Acquired> {
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
