import type { DaneRequirementReason, DaneRequirementStatus } from '../dane/index.js';
import type { MtaStsResolution } from '../mta-sts/index.js';

/** The DANE state of one MX host, from `lookupDaneHost`. */
export interface PublishedDaneHost {
  /** The MX host name (lowercase, no trailing dot). */
  readonly host: string;
  /** `dane_required`, `tls_required`, `no_dane` or `deferred` (a bogus or failed lookup). */
  readonly status: DaneRequirementStatus;
  /** Why (`usable_tlsa`, `tlsa_denied`, `mx_insecure`, `tlsa_failed`, …), from `daneRequirement`. */
  readonly reason: DaneRequirementReason;
}

/**
 * What a recipient domain's MX hosts publish in DNSSEC, for the domain as a whole:
 * - `off`: not looked up (no `dnssec` resolver, or a key that names no domain);
 * - `failed`: an MX, address or TLSA lookup was bogus or failed — nothing is known, never "no DANE";
 * - `dane_required`: every MX host looked up has usable, DNSSEC-validated TLSA records;
 * - `partial`: some have, others do not;
 * - `tls_required`: none has usable records, at least one only unusable ones (TLS mandatory, RFC 7672 §2.2);
 * - `no_dane`: DANE applies to no MX host (unsigned zone, authenticated denial, no mail hosts).
 */
export type PublishedDaneStatus = 'off' | 'failed' | 'dane_required' | 'partial' | 'tls_required' | 'no_dane';

/** The DANE part of {@link PublishedFacts}. */
export interface PublishedDane {
  /** The domain's DANE state, see {@link PublishedDaneStatus}. */
  readonly status: PublishedDaneStatus;
  /** Each MX host looked up, in order of preference. */
  readonly hosts: readonly PublishedDaneHost[];
  /** For `failed`: which lookup failed, one line in English. */
  readonly message?: string;
  /** True when the domain has more MX hosts than were looked up (`MAX_DANE_HOSTS`). */
  readonly truncated?: boolean;
}

/**
 * The MTA-STS part of {@link PublishedFacts}:
 * - `off`: not looked up;
 * - `resolved`: the resolver's answer (`resolution.mode` and `resolution.source` tell which policy
 *   applies and whether it came from the cache); `rechecked` when a cached `enforce` policy did not
 *   list a current MX host and a fresh TXT lookup was made before answering;
 * - `failed`: the resolver rejected (its cache store failed, `ESTORE`): whether an `enforce` policy
 *   is cached is not known.
 */
export type PublishedMtaSts =
  | {
      /** Not looked up. */
      readonly status: 'off';
    }
  | {
      /** The resolver answered. */
      readonly status: 'resolved';
      /** The policy that applies, and where it came from (`createMtaStsResolver`'s `resolve` or `recheck`). */
      readonly resolution: MtaStsResolution;
      /** A fresh TXT lookup was made because the cached policy listed no current MX host. */
      readonly rechecked: boolean;
    }
  | {
      /** The resolver failed. */
      readonly status: 'failed';
      /** Its error code (`ESTORE`). */
      readonly code: string;
      /** Its message. */
      readonly message: string;
    };

/** What a recipient domain publishes about its own TLS, as the TLS policy table found it. Plain data. */
export interface PublishedFacts {
  /** The MTA-STS policy of exactly the recipient domain. */
  readonly mtaSts: PublishedMtaSts;
  /** The DANE state of its MX hosts. */
  readonly dane: PublishedDane;
}
