import type { DaneTlsRptResult, TlsaRecord } from './types.js';

/** What {@link matchTlsa} checks a presented chain against. */
export interface DaneMatchOptions {
  /**
   * Reference identifiers for DANE-TA: the names the leaf certificate must carry. Postfix checks
   * "nexthop, hostname": the recipient domain and the MX host name (lowercase, no trailing dot).
   * DANE-EE ignores them (RFC 7672 §3.1.1).
   */
  readonly names: readonly string[];
  /** The time validity dates are checked at (DANE-TA only). @default new Date() */
  readonly now?: Date;
}

/** Why a presented chain matched none of the TLSA records. */
export type DaneMatchFailure =
  /** no DANE-TA/DANE-EE record with known parameters was given */
  | 'no_usable_records'
  /** the server presented no certificate */
  | 'empty_chain'
  /** no record matched the leaf (DANE-EE) or any certificate of the chain (DANE-TA) */
  | 'no_match'
  /** a DANE-TA record matched, but the chain from the leaf does not verify up to it */
  | 'chain_invalid'
  /** a DANE-TA chain verified, but a certificate in it is expired or not yet valid */
  | 'expired'
  /** a DANE-TA chain verified, but the leaf carries none of the reference identifiers */
  | 'name_mismatch';

/** A presented chain authenticated by a TLSA record. */
export interface DaneMatched {
  /** Always true: a record authenticated the chain. */
  readonly matched: true;
  /** The record that authenticated the server. */
  readonly record: TlsaRecord;
  /** `dane-ee` (the leaf matched) or `dane-ta` (a trust anchor matched and the chain verified). */
  readonly usage: 'dane-ee' | 'dane-ta';
  /**
   * Index in the chain of the certificate the record matched (0 is the leaf); for a DANE-TA anchor
   * published in full in the record itself (`2 0 0`, `2 1 0`) the chain's length.
   */
  readonly depth: number;
  /** For DANE-TA: the reference identifier the leaf matched. */
  readonly name?: string;
}

/** A presented chain that no TLSA record authenticates: the session must not carry mail. */
export interface DaneMismatch {
  /** Always false: no record authenticated the chain. */
  readonly matched: false;
  /** Why; of several records, the failure that got furthest (`no_match` < `chain_invalid` < `expired` < `name_mismatch`). */
  readonly reason: DaneMatchFailure;
  /** The refusal code: always `EDANEMISMATCH`. */
  readonly code: 'EDANEMISMATCH';
  /** The TLS-RPT result type this failure is reported as. */
  readonly tlsRpt: DaneTlsRptResult;
  /** For `chain_invalid`, `expired`, `name_mismatch`: the DANE-TA record whose anchor matched. */
  readonly record?: TlsaRecord;
  /** A technical one-line description in English. */
  readonly message: string;
}

/** The result of {@link matchTlsa}. */
export type DaneMatch = DaneMatched | DaneMismatch;
