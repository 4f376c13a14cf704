import type { DaneTlsRptResult, DnssecLookup, DnssecStatus, TlsaRecord } from './types.js';

/**
 * What a session to one MX host must do under RFC 7672:
 * - `dane_required`: usable TLSA records exist; the certificate must match one of them, with no
 *   fallback to PKIX or plaintext delivery;
 * - `tls_required`: the TLSA RRset holds only unusable records; TLS is mandatory but not
 *   authenticated (§2.2, §3.1.3; Postfix `encrypt`);
 * - `no_dane`: DANE does not apply; fall back to MTA-STS or the local policy;
 * - `deferred`: an MX, address or TLSA lookup failed or was bogus; the host must not be used now
 *   (transient, `EDNSSEC`), never read as "no TLSA" (§2.1.2);
 * - `refused`: level `dane-only` and no usable TLSA record (transient, `EDANEREQUIRED`).
 */
export type DaneRequirementStatus = 'dane_required' | 'tls_required' | 'no_dane' | 'deferred' | 'refused';

/**
 * Why: `usable_tlsa`, `unusable_tlsa`, `tlsa_denied` (authenticated denial: secure NXDOMAIN or
 * NODATA), `tlsa_insecure`, `mx_insecure`, `address_insecure` (an answer without the AD bit),
 * `mx_failed`, `address_failed`, `tlsa_failed` (bogus or failed lookups).
 */
export type DaneRequirementReason =
  | 'usable_tlsa'
  | 'unusable_tlsa'
  | 'tlsa_denied'
  | 'tlsa_insecure'
  | 'mx_insecure'
  | 'address_insecure'
  | 'mx_failed'
  | 'address_failed'
  | 'tlsa_failed';

/** The DNSSEC lookups that decide DANE for one MX host. */
export interface DaneHostLookups {
  /**
   * The recipient domain's MX lookup. For a domain without MX records (mail goes to the domain's own
   * address, RFC 5321 §5.1) pass that NODATA answer: it must be secure too.
   */
  readonly mx: DnssecLookup<unknown>;
  /** The host's A and AAAA lookups (whichever were made; none counts as insecure). */
  readonly addresses: readonly DnssecLookup<string>[];
  /** The `_25._tcp.<host>` TLSA lookup, when {@link tlsaLookupNeeded} said it is needed. */
  readonly tlsa?: DnssecLookup<TlsaRecord> | undefined;
}

/** Options of {@link daneRequirement}. */
export interface DaneRequirementOptions {
  /**
   * `dane` (opportunistic DANE: without usable TLSA the rule's fallback applies) or `dane-only`
   * (without usable TLSA the host is refused, as Postfix `dane-only`).
   * @default 'dane'
   */
  readonly level?: 'dane' | 'dane-only';
  /**
   * What secure TLSA records of a host reached through an insecure MX RRset mean, as Postfix's
   * `smtp_tls_dane_insecure_mx_policy`: `may` (ignored, and no TLSA lookup is made), `encrypt`
   * (TLS mandatory, unauthenticated), `dane` (used as if the MX RRset were secure).
   * @default 'may'
   */
  readonly insecureMx?: 'may' | 'encrypt' | 'dane';
}

/** The DNSSEC status of each lookup behind a {@link DaneRequirement}, for reports. */
export interface DaneDnssecStatus {
  /** The MX lookup's status (always present: it is read first). */
  readonly mx: DnssecStatus;
  /** The worst of the address lookups (`failed`/`bogus` before `insecure` before `secure`). */
  readonly address?: DnssecStatus;
  /** The TLSA lookup's status; absent when the MX or address lookups decided before it. */
  readonly tlsa?: DnssecStatus;
}

/** The outcome of {@link daneRequirement}: plain data. */
export interface DaneRequirement {
  /** What a session to the host must do. */
  readonly status: DaneRequirementStatus;
  /** The lookup result that decided `status`. */
  readonly reason: DaneRequirementReason;
  /** For `dane_required`: the usable records the certificate must match. Else empty. */
  readonly records: readonly TlsaRecord[];
  /** The secure TLSA records that are not usable (usages 0/1, unknown parameters). */
  readonly unusable: readonly TlsaRecord[];
  /** The DNSSEC status of each lookup the rules read, up to the one that decided. */
  readonly dnssec: DaneDnssecStatus;
  /** For `deferred` and `refused`: the refusal code. */
  readonly code?: 'EDNSSEC' | 'EDANEREQUIRED';
  /** For `deferred` and `refused`: always true (retry later). */
  readonly transient?: boolean;
  /** For `deferred` and `refused`: the TLS-RPT result type (`dnssec-invalid`, `dane-required`). */
  readonly tlsRpt?: DaneTlsRptResult;
  /** A technical one-line description in English. */
  readonly message: string;
}
