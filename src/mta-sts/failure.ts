import { argumentError, dateArgument, readArgument, stringArgument } from '../errors/index.js';
import type { MtaStsResultType } from './types.js';

/**
 * Why no policy could be obtained from DNS or HTTPS:
 * - `dns_error`: the TXT lookup of `_mta-sts.<domain>` failed (timeout, SERVFAIL, …);
 * - `host_not_found`: the policy host `mta-sts.<domain>` has no address (or its lookup failed);
 * - `connect_failed`: the TCP connection to the policy host failed;
 * - `tls_failed`: the TLS handshake failed for a reason other than the certificate;
 * - `certificate_invalid`: the policy host's certificate is untrusted, expired or not valid for the
 *   host name (checked against DNS subject alternative names only);
 * - `timeout`: the fetch did not complete within its deadline;
 * - `http_redirect`: a 3xx answer (redirects are never followed);
 * - `http_status`: any other status than 200;
 * - `content_type`: the answer is not `text/plain`;
 * - `too_large`: the body exceeds 64 KiB;
 * - `http_error`: a malformed HTTP answer, or the connection broke during it;
 * - `policy_invalid`: the body is not a valid policy (see `field` and `line`).
 */
export type MtaStsFailureReason =
  | 'dns_error'
  | 'host_not_found'
  | 'connect_failed'
  | 'tls_failed'
  | 'certificate_invalid'
  | 'timeout'
  | 'http_redirect'
  | 'http_status'
  | 'content_type'
  | 'too_large'
  | 'http_error'
  | 'policy_invalid';

/** A failure to discover, fetch or parse a policy: plain data, safe to log and report (TLS-RPT). */
export interface MtaStsFailure {
  /** What failed, from the TXT lookup to the policy's syntax. */
  readonly reason: MtaStsFailureReason;
  /** The TLS-RPT result type to report it under. */
  readonly resultType: MtaStsResultType;
  /** One technical line in English; quotes at most a short, escaped value from the answer. */
  readonly message: string;
  /** When it happened (ISO 8601, from the resolver's clock; the fetch time for a standalone fetch). */
  readonly at: string;
  /** The TXT id the failed fetch was for. */
  readonly id?: string;
  /** The HTTP status, for `http_redirect` and `http_status`. */
  readonly httpStatus?: number;
  /** The `Content-Type` received, for `content_type` (`''` when the header was missing). */
  readonly contentType?: string;
  /** The DNS, socket or OpenSSL code (`ETIMEOUT`, `ECONNREFUSED`, `CERT_HAS_EXPIRED`, …). */
  readonly errorCode?: string;
  /** For `policy_invalid`: the field that is wrong (`version`, `mode`, `max_age`, `mx`, …). */
  readonly field?: string;
  /** For `policy_invalid`: the 1-based line number, when one line is at fault. */
  readonly line?: number;
}

/** The optional details of an {@link MtaStsFailure}. */
export type MtaStsFailureDetails = Omit<MtaStsFailure, 'reason' | 'resultType' | 'message' | 'at'>;

const RESULT_TYPES: Readonly<Record<MtaStsFailureReason, MtaStsResultType>> = {
  dns_error: 'sts-policy-fetch-error',
  host_not_found: 'sts-policy-fetch-error',
  connect_failed: 'sts-policy-fetch-error',
  tls_failed: 'sts-policy-fetch-error',
  certificate_invalid: 'sts-webpki-invalid',
  timeout: 'sts-policy-fetch-error',
  http_redirect: 'sts-policy-fetch-error',
  http_status: 'sts-policy-fetch-error',
  content_type: 'sts-policy-invalid',
  too_large: 'sts-policy-fetch-error',
  http_error: 'sts-policy-fetch-error',
  policy_invalid: 'sts-policy-invalid',
};

const DETAIL_FIELDS = {
  id: 'string',
  httpStatus: 'number',
  contentType: 'string',
  errorCode: 'string',
  field: 'string',
  line: 'number',
} as const;

/**
 * Builds a frozen {@link MtaStsFailure} with the TLS-RPT result type of its reason. Arguments of the
 * wrong kind throw `EPOLICY` naming the field.
 *
 * @example
 * ```ts
 * mtaStsFailure('http_status', 'policy host answered 404', new Date(), { httpStatus: 404 });
 * // { reason: 'http_status', resultType: 'sts-policy-fetch-error', … }
 * ```
 */
export function mtaStsFailure(
  reason: MtaStsFailureReason,
  message: string,
  at: Date,
  details: MtaStsFailureDetails = {},
): MtaStsFailure {
  if (typeof reason !== 'string' || !Object.hasOwn(RESULT_TYPES, reason)) {
    throw argumentError('reason', reason, 'an MTA-STS failure reason');
  }
  return Object.freeze({
    reason,
    resultType: RESULT_TYPES[reason],
    message: stringArgument('message', message),
    at: new Date(Date.prototype.getTime.call(dateArgument('at', at))).toISOString(),
    ...(readArgument('details', details, DETAIL_FIELDS, { optional: true }) as MtaStsFailureDetails),
  });
}
