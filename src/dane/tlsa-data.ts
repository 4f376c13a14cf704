import { createHash, type X509Certificate } from 'node:crypto';
import { argumentError } from '../errors/index.js';
import { certificateArgument, tlsaRecordArgument } from './check-arguments.js';
import { TLSA_MATCHING_TYPE, TLSA_SELECTOR } from './tlsa-usability.js';
import type { TlsaRecord } from './types.js';

/**
 * The bytes a TLSA selector picks from a certificate: the full DER certificate (selector 0) or its
 * DER SubjectPublicKeyInfo (selector 1). The SPKI comes from `publicKey.export({ type: 'spki' })`:
 * `getPeerCertificate().pubkey` is not the SPKI for EC keys and would never match a `3 1 1` record.
 *
 * @example
 * ```ts
 * selectedBytes(socket.getPeerX509Certificate()!, 1); // DER SubjectPublicKeyInfo
 * ```
 */
export function selectedBytes(cert: X509Certificate, selector: number): Buffer {
  const certificate = certificateArgument('cert', cert);
  if (selector === TLSA_SELECTOR.CERT) return certificate.raw;
  if (selector === TLSA_SELECTOR.SPKI) return certificate.publicKey.export({ type: 'spki', format: 'der' });
  throw argumentError('selector', selector, 'a TLSA selector (0 or 1)');
}

/**
 * The certificate association data for `cert` under `selector` and `matchingType` (0: the bytes,
 * 1: SHA-256, 2: SHA-512). Throws `EPOLICY` for values outside 0–1 / 0–2 and for a `cert` that is not
 * an `X509Certificate`.
 *
 * @example
 * ```ts
 * tlsaAssociationData(cert, 1, 1).toString('hex'); // what a `3 1 1` record publishes
 * ```
 */
export function tlsaAssociationData(cert: X509Certificate, selector: number, matchingType: number): Buffer {
  const bytes = selectedBytes(cert, selector);
  if (matchingType === TLSA_MATCHING_TYPE.FULL) return bytes;
  if (matchingType === TLSA_MATCHING_TYPE.SHA2_256) return createHash('sha256').update(bytes).digest();
  if (matchingType === TLSA_MATCHING_TYPE.SHA2_512) return createHash('sha512').update(bytes).digest();
  throw argumentError('matchingType', matchingType, 'a TLSA matching type (0, 1 or 2)');
}

/**
 * The TLSA record that publishes `cert` with the given parameters.
 *
 * @example
 * ```ts
 * formatTlsa(createTlsaRecord(cert, 3, 1, 1)); // '3 1 1 8a5b…'
 * ```
 */
export function createTlsaRecord(
  cert: X509Certificate,
  usage: number,
  selector: number,
  matchingType: number,
): TlsaRecord {
  if (!Number.isInteger(usage) || usage < 0 || usage > 255) {
    throw argumentError('usage', usage, 'a TLSA certificate usage (an integer 0-255)');
  }
  return { usage, selector, matchingType, data: tlsaAssociationData(cert, selector, matchingType) };
}

/**
 * A TLSA record in presentation form, `usage selector matchingType hex` (lowercase hex).
 *
 * @example
 * ```ts
 * formatTlsa({ usage: 3, selector: 1, matchingType: 1, data }); // '3 1 1 8a5b…'
 * ```
 */
export function formatTlsa(input: TlsaRecord): string {
  const record = tlsaRecordArgument('record', input);
  const hex = Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('hex');
  return `${record.usage} ${record.selector} ${record.matchingType} ${hex}`;
}
