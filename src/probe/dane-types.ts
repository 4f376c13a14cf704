import type {
  DaneDnssecStatus,
  DaneMatchFailure,
  DaneRequirementReason,
  DaneRequirementStatus,
  DaneTlsRptResult,
  DnssecStatus,
  LookupKind,
  TlsaUsability,
} from '../dane/index.js';

/** The domain's MX RRset as the DNSSEC resolver saw it. */
export interface ProbeDane {
  /** `checked`: a DNSSEC resolver was given; `off`: DANE was not checked (no `dnssec` option). */
  readonly status: 'checked' | 'off';
  /** The MX RRset's DNSSEC status (for the A fallback: that of the NODATA answer). */
  readonly mx?: DnssecStatus;
  /** What the MX lookup found (`records`, `nodata`, `nxdomain`, `error`); absent for `off`. */
  readonly mxKind?: LookupKind;
  /** The MX host names in the DNSSEC answer, to compare with the hosts probed (which come from `resolver`). */
  readonly mxHosts?: readonly string[];
  /** The validating resolver that answered (`host:port`). */
  readonly server?: string;
  /** For `bogus`/`failed`: what went wrong. */
  readonly message?: string;
}

/** One TLSA record of a host, JSON-safe. */
export interface ProbeTlsa {
  /** 2 DANE-TA, 3 DANE-EE; 0 and 1 (PKIX) are unusable for SMTP. */
  readonly usage: number;
  /** 0 full certificate, 1 SubjectPublicKeyInfo. */
  readonly selector: number;
  /** 0 exact, 1 SHA-256, 2 SHA-512. */
  readonly matchingType: number;
  /** The association data, lowercase hex. */
  readonly data: string;
  /** `usage selector matchingType hex`. */
  readonly text: string;
  /** True exactly when `usability` is `usable`. */
  readonly usable: boolean;
  /** `usable`, or why not (`pkix_usage`, `bad_digest_length`, …). */
  readonly usability: TlsaUsability;
}

/** The presented certificate against the usable TLSA records. */
export type HostDaneMatch =
  | {
      /** True: a usable record authenticated the chain. */
      readonly matched: true;
      /** `dane-ee` (the leaf's key or certificate) or `dane-ta` (a trust anchor of the chain). */
      readonly usage: 'dane-ee' | 'dane-ta';
      /** The record that matched. */
      readonly record: ProbeTlsa;
      /** Index in the chain of the certificate it matched (0 the leaf). */
      readonly depth: number;
      /** DANE-TA: the name of the leaf that matched (the domain or the MX host). */
      readonly name?: string;
    }
  | {
      /** False: no usable record authenticated the chain. */
      readonly matched: false;
      /** Why, as `matchTlsa` reports it (the failure that got furthest). */
      readonly reason: DaneMatchFailure;
      /** The TLS-RPT result type the failure is reported as (`tlsa-invalid`, `certificate-expired`, …). */
      readonly tlsRpt: DaneTlsRptResult;
      /** DANE-TA: the record whose anchor matched before the chain, name or dates failed. */
      readonly record?: ProbeTlsa;
      /** A technical one-line description in English. */
      readonly message: string;
    };

/** DANE for one MX host. */
export interface HostDane {
  /** What RFC 7672 requires of a session to this host (see docs/dane.md). */
  readonly status: DaneRequirementStatus;
  /** The lookup result that decided `status` (`usable_tlsa`, `tlsa_denied`, `mx_insecure`, …). */
  readonly reason: DaneRequirementReason;
  /** DNSSEC status of the MX RRset, the host's addresses (the worse of A and AAAA) and its TLSA RRset. */
  readonly dnssec: DaneDnssecStatus;
  /** `_25._tcp.<host>`, when the TLSA lookup was made. */
  readonly tlsaName?: string;
  /** Every TLSA record found, usable or not. */
  readonly tlsa: readonly ProbeTlsa[];
  /** For `dane_required` with a TLS session: whether the certificate matched, and which record. */
  readonly match?: HostDaneMatch;
  /**
   * What a DANE sender does with the host (`checkDaneSession`): deliver (`authentication` `dane`, or
   * `none` for `tls_required`; `fallback` for `no_dane`), or not, with the code (`EDNSSEC`,
   * `EDANEMISMATCH`, `ENOSTARTTLS`) and the TLS-RPT result type.
   */
  readonly verdict:
    | {
        /** True: DANE lets the session carry the mail. */
        readonly ok: true;
        /** `dane`: a TLSA record authenticated the server; `none`: `tls_required` or `no_dane`. */
        readonly authentication: 'dane' | 'none';
        /** True for `no_dane`: DANE said nothing, MTA-STS or the local policy decides. */
        readonly fallback: boolean;
      }
    | {
        /** False: a DANE sender does not deliver to the host. */
        readonly ok: false;
        /** `EDNSSEC` (deferred), `EDANEREQUIRED` (refused), `ENOSTARTTLS` (no TLS session), `EDANEMISMATCH`. */
        readonly code: 'ENOSTARTTLS' | 'EDANEMISMATCH' | 'EDNSSEC' | 'EDANEREQUIRED';
        /** False only for `ENOSTARTTLS`; the other refusals are retried later. */
        readonly transient: boolean;
        /** The TLS-RPT result type (RFC 8460 §4.3.2) the refusal is reported as. */
        readonly tlsRpt: DaneTlsRptResult;
        /** A technical one-line description in English. */
        readonly message: string;
      };
  /** One technical line about the requirement. */
  readonly message: string;
}
