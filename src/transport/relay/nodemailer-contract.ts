import type { ErrorCode } from '../../errors/codes.js';
import { ForcedTlsError, isForcedTlsError } from '../../errors/forced-tls-error.js';
import type { RecipientFailure } from '../../errors/recipient-failure.js';
import { atLeast, nodemailerVersion, type Version } from '../../internal/nodemailer-version.js';
import { type ForcedTlsSentMessageInfo, type RejectedRecipientError, rejectedError } from '../outcome.js';
import { SessionError } from '../session/open-session.js';
import type { TlsDeliveryReport } from '../types.js';
import { type FailureFacts, isPermanentResponseCode, nodemailerShape } from './nodemailer-shape.js';

/** nodemailer 10.0.12 reports an all-rejected envelope with a temporary reply when there is one. */
export const DEFERRED_REPLY_SINCE: Version = [10, 0, 12];

/**
 * What a `forceTls` transporter rejects with: a {@link ForcedTlsError} (`isForcedTlsError` is true)
 * with nodemailer's `code` and fields for a failure that is not about TLS (`EAUTH`, `EENVELOPE`,
 * `EMESSAGE`, `ESOCKET`, `ECONNECTION`, `ETIMEDOUT`, `EDNS`, `EPROTOCOL`), `ETLSREQUIRED` for a TLS
 * refusal, and the forced-tls report on top: `recipients` (one `RecipientFailure` each) and `report`.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (isForcedTlsError(error) && error.code === 'EAUTH') console.log(error.responseCode); // 535
 * }
 * ```
 */
export interface NodemailerCompatibleError extends ForcedTlsError {
  /** The server's reply, as nodemailer gives it (see each failure's `untrusted`). */
  readonly response?: string;
  /** The reply's numeric code. */
  readonly responseCode?: number;
  /** The command nodemailer names: `AUTH PLAIN`, `MAIL FROM`, `RCPT TO`, `DATA`, `EHLO`, `CONN`. */
  readonly command?: string;
  /** nodemailer's `permanent`, when there is a reply: a 5xx other than 503. */
  readonly permanent?: boolean;
  /** For `ETIMEDOUT`: `CONNECT_TIMEOUT`, `GREETING_TIMEOUT`, `UPGRADE_TIMEOUT` or `SOCKET_TIMEOUT`. */
  readonly timeoutType?: string;
  /** For `EENVELOPE` with every recipient refused: the recipients, as nodemailer gives them. */
  readonly rejected?: string[];
  /** For `EENVELOPE` with every recipient refused: one error per recipient (`code` `EENVELOPE`). */
  readonly rejectedErrors?: RejectedRecipientError[];
  /** The delivery report of `sendMail` (not of `verify()`): every recipient, its decision and failure. */
  readonly report?: TlsDeliveryReport;
}

type Fields = Omit<Partial<NodemailerCompatibleError>, keyof ForcedTlsError | 'report'>;

function replyFields(facts: FailureFacts & { readonly responseCode?: number | undefined }): Fields {
  const shape = nodemailerShape(facts);
  return {
    ...(facts.response === undefined ? {} : { response: facts.response }),
    ...(facts.responseCode === undefined
      ? {}
      : { responseCode: facts.responseCode, permanent: isPermanentResponseCode(facts.responseCode) }),
    ...(shape.command === undefined ? {} : { command: shape.command }),
    ...(shape.timeoutType === undefined ? {} : { timeoutType: shape.timeoutType }),
  };
}

function compatibleError(
  code: ErrorCode,
  message: string,
  parts: { recipients: readonly RecipientFailure[]; transient: boolean; cause?: unknown },
  fields: Fields,
  report?: TlsDeliveryReport,
): NodemailerCompatibleError {
  const error = new ForcedTlsError(code, message, parts);
  // Own enumerable fields, as on nodemailer's errors; the report and the JSON form are not enumerable.
  Object.assign(error, fields);
  if (report !== undefined) Object.defineProperty(error, 'report', { value: report, enumerable: false });
  Object.defineProperty(error, 'toJSON', {
    value: () => ({ ...ForcedTlsError.prototype.toJSON.call(error), ...fields }),
    enumerable: false,
  });
  return error as NodemailerCompatibleError;
}

/**
 * A recipient of `rejected`/`rejectedErrors` the nodemailer way: `EENVELOPE` for a refused recipient,
 * `ETLSREQUIRED` for a TLS refusal; `permanent` from the reply as nodemailer decides it.
 *
 * @example
 * ```ts
 * compatibleRejected(failure).code; // 'EENVELOPE'
 * ```
 */
export function compatibleRejected(failure: RecipientFailure): RejectedRecipientError {
  const error = rejectedError(failure, nodemailerShape(failure).code);
  if (failure.responseCode !== undefined) {
    Object.assign(error, { permanent: isPermanentResponseCode(failure.responseCode) });
  }
  return error;
}

/**
 * The failure whose reply nodemailer puts on an all-rejected `EENVELOPE`: since 10.0.12 the first
 * temporary one (so the message is not taken for permanently failed), before that the last.
 *
 * @example
 * ```ts
 * envelopeReply([deferred451, refused550], '10.6.1'); // deferred451; with '9.1.1': refused550
 * ```
 */
export function envelopeReply(
  failures: readonly RecipientFailure[],
  version: string = nodemailerVersion(),
): RecipientFailure {
  const deferred = atLeast(version, DEFERRED_REPLY_SINCE)
    ? failures.find((f) => f.responseCode !== undefined && f.responseCode < 500)
    : undefined;
  return deferred ?? failures[failures.length - 1]!;
}

/**
 * Turns what the relay transport rejects `sendMail` with into what nodemailer would have given:
 * every recipient refused at RCPT is nodemailer's all-rejected `EENVELOPE` (with `rejected` and
 * `rejectedErrors`); otherwise the first failure of the whole transaction, in envelope order, gives
 * the code and fields. A TLS refusal (`ETLSREQUIRED`) and input errors pass unchanged.
 *
 * @example
 * ```ts
 * compatibleSendError(error).code; // 'EAUTH' where the relay transport says EDELIVERY
 * ```
 */
export function compatibleSendError(error: unknown): unknown {
  if (!isForcedTlsError(error) || error.code !== 'EDELIVERY' || error.recipients.length === 0) return error;
  const failures = error.recipients;
  const report = (error as { report?: TlsDeliveryReport }).report;
  const parts = { recipients: failures, transient: error.transient };
  if (failures.every((f) => f.code === 'EREJECTED' && f.phase === 'rcpt')) {
    const reply = envelopeReply(failures);
    const fields: Fields = {
      ...replyFields(reply),
      rejected: failures.map((f) => f.recipient),
      rejectedErrors: failures.map(compatibleRejected),
    };
    const text = `Can't send mail - all recipients were rejected: ${reply.response ?? reply.message}`;
    return compatibleError('EENVELOPE', text, parts, fields, report);
  }
  const first = failures.find((f) => !(f.code === 'EREJECTED' && f.phase === 'rcpt')) ?? failures[0]!;
  const { code } = nodemailerShape(first);
  if (code === 'EDELIVERY') return error;
  return compatibleError(code, first.message, parts, replyFields(first), report);
}

/**
 * The same for `verify()`: the relay transport's recipient code becomes nodemailer's (`EAUTH`,
 * `ESOCKET`, …) or `ETLSREQUIRED`; the relay transport's error is the `cause`.
 *
 * @example
 * ```ts
 * compatibleVerifyError(error).code; // 'EAUTH' where the relay transport says EREJECTED
 * ```
 */
export function compatibleVerifyError(error: unknown): unknown {
  if (!isForcedTlsError(error) || !(error.cause instanceof SessionError)) return error;
  const why = error.cause.classified;
  const { code } = nodemailerShape(why);
  if (code === 'EDELIVERY') return error;
  const parts = { recipients: [], transient: why.transient, cause: error };
  return compatibleError(code, error.message, parts, code === 'ETLSREQUIRED' ? {} : replyFields(why));
}

/**
 * `info` with `rejectedErrors` the nodemailer way (see {@link compatibleRejected}).
 *
 * @example
 * ```ts
 * compatibleInfo(info).rejectedErrors[0]?.code; // 'EENVELOPE'
 * ```
 */
export function compatibleInfo(info: ForcedTlsSentMessageInfo): ForcedTlsSentMessageInfo {
  if (info.rejectedErrors.length === 0) return info;
  return { ...info, rejectedErrors: info.rejectedErrors.map((e) => compatibleRejected(e.recipients[0]!)) };
}
