import type { Clock } from '../internal/clock.js';
import type { TlsLevel } from '../policy/index.js';
import type { PlannedRecipient } from './plan.js';
import type { PreparedMessage } from './prepared-message.js';
import type { Session } from './session/session.js';
import type { SessionPool } from './session/session-pool.js';
import { runTransaction, type TransactionOptions, type TransactionResult } from './transaction.js';
import type { AttemptListener, DeliveryAttempt } from './types.js';

/** Where an attempt goes and what it enforces: the part of a {@link DeliveryAttempt} known before it starts. */
export interface AttemptTarget {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly level: TlsLevel;
  readonly recipients: readonly PlannedRecipient[];
}

/** Reports one attempt when it ends; `target` corrects what became known meanwhile (the address connected to). */
export type EndAttempt = (
  outcome: DeliveryAttempt['outcome'],
  extra?: Pick<DeliveryAttempt, 'code' | 'tls' | 'tier' | 'authentication'>,
  target?: Partial<AttemptTarget>,
) => void;

/**
 * Starts the record of one delivery attempt: `startedAt` from the transport's clock, the duration on
 * the system clock (an injected clock may stand still). The returned function emits it once it ended.
 */
export function startAttempt(emit: AttemptListener, clock: Clock, target: AttemptTarget): EndAttempt {
  const startedAt = clock();
  const startedMs = Date.now();
  return (outcome, extra = {}, known = {}) => {
    const { host, address, port, level, recipients } = { ...target, ...known };
    emit({
      host,
      address,
      port,
      level,
      recipients: recipients.map((p) => p.address),
      outcome,
      startedAt,
      durationMs: Date.now() - startedMs,
      ...extra,
    });
  };
}

/**
 * Runs one transaction on a checked session and hands the session back: reused when the transaction
 * left it usable (after an RSET when it was rejected), closed otherwise; then the attempt is reported
 * with the session's TLS and the failure code, if any.
 */
export async function transact(
  pool: SessionPool,
  session: Session,
  group: readonly PlannedRecipient[],
  message: PreparedMessage,
  options: TransactionOptions,
  end: (
    outcome: DeliveryAttempt['outcome'],
    extra: Pick<DeliveryAttempt, 'code' | 'tls' | 'tier' | 'authentication'>,
  ) => void,
): Promise<TransactionResult> {
  const result = await runTransaction(session, group, message, options);
  const reusable = result.reusable && (result.outcome !== 'rejected' || (await session.reset()));
  pool.release(session, reusable);
  const code = result.retryElsewhere?.code ?? result.reports.find((r) => r.failure)?.failure?.code;
  const evidence = 'evidence' in options ? options.evidence : session.evidence;
  end(result.outcome, {
    ...(evidence ? { tls: evidence } : {}),
    tier: evidence?.tier ?? 'plaintext',
    authentication: evidence?.authentication ?? 'none',
    ...(code ? { code } : {}),
  });
  return result;
}
