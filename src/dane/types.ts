/**
 * One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and the certificate
 * association data (the full certificate or SubjectPublicKeyInfo, or its SHA-256/SHA-512 digest).
 */
export interface TlsaRecord {
  /** 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 7218 names). Only 2 and 3 are usable for SMTP. */
  readonly usage: number;
  /** 0: the full certificate (DER), 1: the SubjectPublicKeyInfo (DER). */
  readonly selector: number;
  /** 0: the selected bytes themselves, 1: their SHA-256, 2: their SHA-512. */
  readonly matchingType: number;
  /** The certificate association data. */
  readonly data: Uint8Array;
}

/**
 * What a DNSSEC-validating resolver said about one answer: `secure` (AD bit set), `insecure` (an
 * answer without the AD bit: unsigned zone, or a resolver that does not validate), `bogus`
 * (validation failed: SERVFAIL with a DNSSEC extended error), `failed` (SERVFAIL without such a
 * detail, another error rcode, timeout, malformed or mismatching reply). `bogus` and `failed` are never
 * "no records".
 */
export type DnssecStatus = 'secure' | 'insecure' | 'bogus' | 'failed';

/**
 * What one lookup found: `records` (at least one record of the asked type), `nodata` (the name exists
 * without such records), `nxdomain` (the name does not exist), `error` (nothing usable: see the
 * status `bogus`/`failed`).
 */
export type LookupKind = 'records' | 'nodata' | 'nxdomain' | 'error';

/** The part of a DNSSEC lookup result the DANE rules read; `DnssecAnswer` from `src/dnssec` has it. */
export interface DnssecLookup<T> {
  /** What the validating resolver said about the answer (`secure` only with the AD bit). */
  readonly status: DnssecStatus;
  /** Records, NODATA, NXDOMAIN, or `error` (then `status` is `bogus` or `failed`). */
  readonly kind: LookupKind;
  /** The records of the asked type; empty unless `kind` is `records`. */
  readonly records: readonly T[];
}

/**
 * TLS-RPT result types (RFC 8460 §4.3.2) that DANE outcomes correspond to, recorded as data for a
 * report: `tlsa-invalid` (no TLSA record of the RRset matched), `dnssec-invalid` (the resolver
 * returned no valid records), `dane-required` (DANE was required but no DNSSEC-validated usable TLSA
 * record exists), `certificate-host-mismatch` and `certificate-expired` (a DANE-TA trust anchor
 * matched, but the name or the validity dates of the chain did not), `starttls-not-supported` (TLS
 * was mandatory, but no TLS session came about).
 */
export type DaneTlsRptResult =
  | 'starttls-not-supported'
  | 'tlsa-invalid'
  | 'dnssec-invalid'
  | 'dane-required'
  | 'certificate-host-mismatch'
  | 'certificate-expired';
