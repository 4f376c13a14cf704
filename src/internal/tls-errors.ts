import type { RecipientCode } from '../errors/codes.js';

/** OpenSSL verdicts (`authorizationError`, error `code`) meaning the chain is not trusted. */
export const UNTRUSTED_CHAIN_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);

/** OpenSSL verdicts meaning the certificate is outside its validity period. */
export const EXPIRED_CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

/** Node/OpenSSL handshake errors meaning "no common protocol version": the peer only speaks older TLS. */
export const PROTOCOL_VERSION_CODES: ReadonlySet<string> = new Set([
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_VERSION_TOO_LOW',
]);

/**
 * The recipient code for a certificate problem reported by Node (`authorizationError` or an error
 * `code`): `ECERTNAME`, `ECERTEXPIRED`, `ECERTUNTRUSTED`, or `undefined` when it is no certificate problem.
 *
 * @example
 * ```ts
 * certificateCode('DEPTH_ZERO_SELF_SIGNED_CERT'); // 'ECERTUNTRUSTED'
 * ```
 */
export function certificateCode(reason: string | undefined): RecipientCode | undefined {
  if (reason === undefined) return undefined;
  if (reason === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'ECERTNAME';
  if (EXPIRED_CERTIFICATE_CODES.has(reason)) return 'ECERTEXPIRED';
  if (UNTRUSTED_CHAIN_CODES.has(reason)) return 'ECERTUNTRUSTED';
  return undefined;
}
