import type { PlannedRecipient } from './plan.js';
import type { PreparedMessage } from './prepared-message.js';
import { type Refusal, refusal } from './refusal.js';
import { type Delivered, deliveredReport, failedReport } from './report.js';
import type { NodemailerErrorLike } from './session/classify-error.js';
import { type Session, TransactionError } from './session/session.js';
import type { AchievedTls, DeliveryAttempt, RecipientReport } from './types.js';

/** The result of one transaction on a checked session. */
export interface TransactionResult {
  readonly reports: RecipientReport[];
  readonly outcome: DeliveryAttempt['outcome'];
  /** The session can take another transaction. */
  readonly reusable: boolean;
  /** The transaction failed as a whole before the message was sent: another host may be tried. */
  readonly retryElsewhere?: Refusal;
}

/** Per-recipient extras: relay protection, testing-mode verdicts, the TLS lost by a `may` fallback. */
export type Annotate = (
  planned: PlannedRecipient,
) => Pick<Delivered, 'relayProtection' | 'wouldRefuse' | 'tlsFailure'>;

function rcptRejection(error: NodemailerErrorLike, session: Session): Refusal {
  const secure = session.evidence !== undefined;
  return refusal('EREJECTED', 'rcpt', `server rejected the recipient: ${session.redact(error.message)}`, {
    command: 'RCPT TO',
    response: typeof error.response === 'string' ? session.redact(error.response) : undefined,
    responseCode: typeof error.responseCode === 'number' ? error.responseCode : undefined,
    untrusted: !secure,
  });
}

/** How a transaction runs: the hosts tried so far, REQUIRETLS, and the per-recipient extras. */
export interface TransactionOptions {
  readonly mxTried: readonly string[];
  readonly addressesTried?: readonly string[];
  /** The recipient published a requirement for this host (see `FailureSite.published`). */
  readonly published?: boolean;
  readonly requireTls?: boolean;
  readonly annotate?: Annotate;
  /** The TLS to report for delivered recipients and the attempt. @default the session's evidence */
  readonly evidence?: AchievedTls | undefined;
}

/**
 * Sends one message to a group of recipients over a session whose TLS has been checked, and reports
 * each recipient: accepted → delivered with the session's TLS; rejected at RCPT → rejected with the
 * server's reply. A failure of the whole transaction is reported for every recipient of the group.
 */
export async function runTransaction(
  session: Session,
  group: readonly PlannedRecipient[],
  message: PreparedMessage,
  options: TransactionOptions,
): Promise<TransactionResult> {
  const site = {
    mx: session.host,
    mxTried: options.mxTried,
    ...(options.addressesTried ? { addressesTried: options.addressesTried } : {}),
    ...(options.published ? { published: true } : {}),
  };
  const annotate: Annotate = options.annotate ?? (() => ({}));
  const envelope = {
    from: message.from,
    to: group.map((p) => p.address),
    ...(message.dsn ? { dsn: message.dsn } : {}),
    ...(message.use8BitMime ? { use8BitMime: true } : {}),
    ...(options.requireTls ? { requireTls: true } : {}),
  };
  try {
    const info = await session.send(envelope, await message.body());
    const accepted = new Set(info.accepted);
    const errors = new Map((info.rejectedErrors ?? []).map((e) => [(e as NodemailerErrorLike).recipient, e]));
    const reports = group.map((planned) => {
      if (accepted.has(planned.address)) {
        const delivered = {
          tls: 'evidence' in options ? options.evidence : session.evidence,
          mx: session.host,
          response: session.redact(info.response),
        };
        return deliveredReport(planned, { ...delivered, ...annotate(planned) });
      }
      const error = errors.get(planned.address) ?? new Error('recipient not accepted');
      return failedReport(planned, rcptRejection(error, session), site, annotate(planned).relayProtection);
    });
    return { reports, outcome: accepted.size === group.length ? 'delivered' : 'partial', reusable: true };
  } catch (error) {
    if (!(error instanceof TransactionError)) throw error;
    const { classified, original } = error;
    const perRecipient = new Map(
      ((original as { rejectedErrors?: NodemailerErrorLike[] }).rejectedErrors ?? []).map((e) => [
        e.recipient,
        e,
      ]),
    );
    const reports = group.map((planned) => {
      const own = perRecipient.get(planned.address);
      const why = own ? rcptRejection(own, session) : classified;
      return failedReport(planned, why, site, annotate(planned).relayProtection);
    });
    const rejected = classified.code === 'EREJECTED' || classified.code === 'EREQUIRETLS';
    // Until the final dot is sent the server cannot have the message: another host may be tried.
    // After it, the message may have arrived, and a second host could deliver it twice.
    return {
      reports,
      outcome: rejected ? 'rejected' : 'failed',
      reusable: rejected,
      ...(!rejected && !error.finalDotSent ? { retryElsewhere: classified } : {}),
      ...(classified.code === 'EREQUIRETLS' ? { retryElsewhere: classified } : {}),
    };
  }
}
