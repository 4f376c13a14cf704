import { type ErrorCode, isTlsRefusalCode } from '../errors/codes.js';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import type { RecipientFailure } from '../errors/recipient-failure.js';
import type { PreparedMessage } from './prepared-message.js';
import type { RecipientReport, TlsDeliveryReport } from './types.js';

/**
 * One entry of {@link ForcedTlsSentMessageInfo.rejectedErrors}: a {@link ForcedTlsError} whose `code` is
 * the recipient code (from a `forceTls` transporter: nodemailer's, `EENVELOPE` for a refused recipient,
 * `ETLSREQUIRED` for a TLS refusal) and whose `recipients[0]` is the {@link RecipientFailure}, with the
 * fields nodemailer puts on its own per-recipient errors.
 *
 * @example
 * ```ts
 * for (const e of info.rejectedErrors) console.log(e.recipient, e.code, e.responseCode, e.permanent);
 * ```
 */
export interface RejectedRecipientError extends ForcedTlsError {
  /** The recipient, as in `rejected`. */
  readonly recipient: string;
  /** The SMTP command the failure followed (`RCPT TO`, `STARTTLS`, …), when there was one. */
  readonly command?: string;
  /** The server's reply, when there was one (see the failure's `untrusted`). */
  readonly response?: string;
  /** The reply's numeric code. */
  readonly responseCode?: number;
  /** nodemailer's `permanent`: the opposite of `transient`. */
  readonly permanent: boolean;
}

/** What `sendMail` resolves with: nodemailer's fields plus the TLS report. */
export interface ForcedTlsSentMessageInfo {
  /** Every recipient delivered (as in nodemailer). */
  readonly accepted: string[];
  /** Every recipient not delivered: refused for TLS or rejected. */
  readonly rejected: string[];
  /** One error per entry of `rejected`, with nodemailer's `recipient`, `response`, `responseCode`, … */
  readonly rejectedErrors: RejectedRecipientError[];
  /** The SMTP envelope: sender and every recipient, delivered or not. */
  readonly envelope: {
    /** The envelope sender (`MAIL FROM`). */
    readonly from: string;
    /** Every envelope recipient (`RCPT TO`). */
    readonly to: string[];
  };
  /** The `Message-ID` of the message sent. */
  readonly messageId: string;
  /** The last delivering server's reply. */
  readonly response: string;
  /** What happened to each recipient, with the TLS of the session that delivered it. */
  readonly tls: TlsDeliveryReport;
}

/**
 * A per-recipient error in nodemailer's `rejectedErrors` shape; its `code` is the failure's, or `code`
 * when given (a `forceTls` transporter gives nodemailer's, e.g. `EENVELOPE`).
 *
 * @example
 * ```ts
 * rejectedError(failure).recipient; // 'a@mandant.test'
 * ```
 */
export function rejectedError(
  failure: RecipientFailure,
  code: ErrorCode = failure.code,
): RejectedRecipientError {
  const error = new ForcedTlsError(code, `${failure.recipient}: ${failure.message}`, {
    recipients: [failure],
    transient: failure.transient,
  });
  return Object.assign(error, {
    recipient: failure.recipient,
    ...(failure.command === undefined ? {} : { command: failure.command }),
    ...(failure.response === undefined ? {} : { response: failure.response }),
    ...(failure.responseCode === undefined ? {} : { responseCode: failure.responseCode }),
    permanent: !failure.transient,
  });
}

/**
 * Turns the reports into nodemailer's result: resolve when at least one recipient was delivered
 * (partial delivery is reported in `rejected`/`rejectedErrors`/`tls`), otherwise a
 * {@link ForcedTlsError}: `ETLSREQUIRED` when any recipient was refused for TLS, else `EDELIVERY`.
 */
export function settle(
  message: PreparedMessage,
  report: TlsDeliveryReport,
): { info: ForcedTlsSentMessageInfo } | { error: ForcedTlsError } {
  const delivered = report.recipients.filter((r) => r.state === 'delivered');
  const failures = report.recipients.flatMap((r) => (r.failure ? [r.failure] : []));
  if (delivered.length === 0) {
    const tls = failures.some((f) => isTlsRefusalCode(f.code));
    const code = tls ? 'ETLSREQUIRED' : 'EDELIVERY';
    const summary = failures.map((f) => `${f.recipient} ${f.code}`).join(', ');
    const error = new ForcedTlsError(code, `No recipient delivered: ${summary}`, {
      recipients: failures,
      transient: failures.length > 0 && failures.every((f) => f.transient),
    });
    Object.defineProperty(error, 'report', { value: report, enumerable: false });
    return { error };
  }
  return {
    info: {
      accepted: delivered.map((r) => r.recipient),
      rejected: failures.map((f) => f.recipient),
      rejectedErrors: failures.map((f) => rejectedError(f)),
      envelope: { from: message.from, to: [...message.to] },
      messageId: message.messageId,
      response: lastResponse(delivered),
      tls: report,
    },
  };
}

function lastResponse(delivered: readonly RecipientReport[]): string {
  return delivered[delivered.length - 1]?.response ?? '';
}
