import { tlsaRecordArgument } from './check-arguments.js';
import type { TlsaRecord } from './types.js';

/**
 * TLSA certificate usages (RFC 6698 §2.1.1, names from RFC 7218).
 *
 * @example
 * ```ts
 * records.filter((r) => r.usage === TLSA_USAGE.DANE_EE);
 * ```
 */
export const TLSA_USAGE = {
  /** 0: a CA that PKIX validation must pass through; unusable for SMTP (RFC 7672 §3.1.3). */
  PKIX_TA: 0,
  /** 1: the end-entity certificate, with PKIX validation; unusable for SMTP (RFC 7672 §3.1.3). */
  PKIX_EE: 1,
  /** 2: a trust anchor the chain must verify up to; the leaf must carry a reference identifier. */
  DANE_TA: 2,
  /** 3: the server's own certificate or key; no name, expiry or chain check (RFC 7672 §3.1.1). */
  DANE_EE: 3,
} as const;
/**
 * TLSA selectors (RFC 6698 §2.1.2).
 *
 * @example
 * ```ts
 * selectedBytes(cert, TLSA_SELECTOR.SPKI);
 * ```
 */
export const TLSA_SELECTOR = {
  /** 0: the full certificate (DER). */
  CERT: 0,
  /** 1: the certificate's SubjectPublicKeyInfo (DER). */
  SPKI: 1,
} as const;
/**
 * TLSA matching types (RFC 6698 §2.1.3).
 *
 * @example
 * ```ts
 * tlsaAssociationData(cert, TLSA_SELECTOR.SPKI, TLSA_MATCHING_TYPE.SHA2_256);
 * ```
 */
export const TLSA_MATCHING_TYPE = {
  /** 0: the selected bytes themselves. */
  FULL: 0,
  /** 1: the SHA-256 digest of the selected bytes (32 bytes). */
  SHA2_256: 1,
  /** 2: the SHA-512 digest of the selected bytes (64 bytes). */
  SHA2_512: 2,
} as const;

/**
 * Why a TLSA record can or cannot be used for SMTP (RFC 7672 §3.1): `usable`, or the first reason it
 * is not: `pkix_usage` (usages 0 and 1, which SMTP clients treat as unusable, §3.1.3), `unknown_usage`,
 * `unknown_selector`, `unknown_matching_type`, `bad_digest_length` (a SHA-256/SHA-512 digest that is
 * not 32/64 bytes long), `empty_data`.
 */
export type TlsaUsability =
  | 'usable'
  | 'pkix_usage'
  | 'unknown_usage'
  | 'unknown_selector'
  | 'unknown_matching_type'
  | 'bad_digest_length'
  | 'empty_data';

const DIGEST_LENGTH: Readonly<Record<number, number>> = { 1: 32, 2: 64 };

/**
 * Whether `record` is usable for SMTP under RFC 7672: DANE-TA(2) or DANE-EE(3), selector 0 or 1,
 * matching type 0, 1 or 2, with association data of the right length.
 *
 * @example
 * ```ts
 * tlsaUsability({ usage: 3, selector: 1, matchingType: 1, data: sha256OfSpki }); // 'usable'
 * tlsaUsability({ usage: 1, selector: 1, matchingType: 1, data: sha256OfSpki }); // 'pkix_usage'
 * ```
 */
export function tlsaUsability(input: TlsaRecord): TlsaUsability {
  const record = tlsaRecordArgument('record', input);
  if (record.usage === TLSA_USAGE.PKIX_TA || record.usage === TLSA_USAGE.PKIX_EE) return 'pkix_usage';
  if (record.usage !== TLSA_USAGE.DANE_TA && record.usage !== TLSA_USAGE.DANE_EE) return 'unknown_usage';
  if (record.selector !== TLSA_SELECTOR.CERT && record.selector !== TLSA_SELECTOR.SPKI) {
    return 'unknown_selector';
  }
  if (record.matchingType === TLSA_MATCHING_TYPE.FULL) {
    return record.data.length === 0 ? 'empty_data' : 'usable';
  }
  const length = DIGEST_LENGTH[record.matchingType];
  if (length === undefined) return 'unknown_matching_type';
  return record.data.length === length ? 'usable' : 'bad_digest_length';
}

/**
 * True when `record` is usable for SMTP (see {@link tlsaUsability}).
 *
 * @example
 * ```ts
 * const usable = records.filter(isUsableTlsa);
 * ```
 */
export function isUsableTlsa(record: TlsaRecord): boolean {
  return tlsaUsability(record) === 'usable';
}
