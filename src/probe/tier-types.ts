import type { Authentication, ProvenAuthentication, Tier, TierReasonCode } from '../policy/index.js';

/**
 * A tier as the probe reports it: the policy's tiers, and `unknown` where nothing was proven: a host
 * that was not reached (unreachable, timeout, refused greeting), a domain without mail hosts, or one
 * whose every host a sender must skip.
 */
export type ProbeTier = Tier | 'unknown';

/**
 * Why a host or domain is not `qualified`: the tier model's codes (`assessTier`), and
 * `not_reached` (no session: nothing proven), `dnssec_failed` (a DNSSEC lookup failed or was bogus:
 * a DANE sender defers the host), `dane_mismatch` (usable TLSA records, none matched),
 * `mta_sts_refused` (the `enforce` policy refuses the host), `host_skipped` (a sender must skip the
 * host, see `refused`), `no_hosts` (the domain has no host a sender may use).
 */
export type ProbeReasonCode =
  | TierReasonCode
  | 'not_reached'
  | 'dnssec_failed'
  | 'dane_mismatch'
  | 'mta_sts_refused'
  | 'host_skipped'
  | 'no_hosts';

/** One reason; `text` begins with the code. */
export interface ProbeReason {
  /** What stands against `qualified`. */
  readonly code: ProbeReasonCode;
  /** `code: what it is about`, for logs and reports. */
  readonly text: string;
  /** The MX host it is about (in a domain's reasons). */
  readonly host?: string;
}

/** The tier of one host's session. */
export interface HostTier {
  /**
   * `unknown` for a host that was not reached; else `assessTier`'s tier, lowered from `qualified`
   * to `encrypted` when a DNSSEC lookup failed or the TLSA records did not match.
   */
  readonly tier: ProbeTier;
  /** The strongest authentication proven (`assessTier`). */
  readonly authentication: Authentication;
  /** Every authentication proven, strongest first (`assessTier`); empty for `none`. */
  readonly proven: readonly ProvenAuthentication[];
  /** Why not `qualified`; empty exactly when it is. */
  readonly reasons: readonly ProbeReason[];
}

/**
 * A sender that applies what the recipient publishes (DANE before MTA-STS, RFC 8461 §2) must not
 * deliver to this host now: the code, whether it is transient, and the TLS-RPT result type.
 */
export interface HostRefusal {
  /** Which published policy refuses the host: the DANE check, or an MTA-STS policy in mode `enforce`. */
  readonly by: 'dane' | 'mta-sts';
  /** The error code a sender would refuse with (`EMTASTS` exactly when `by` is `mta-sts`). */
  readonly code: 'EDNSSEC' | 'EDANEMISMATCH' | 'EDANEREQUIRED' | 'ENOSTARTTLS' | 'EMTASTS';
  /** Whether a sender defers (true) rather than bounces, as the code's entry in `ERROR_CODES` or the DANE check says. */
  readonly transient: boolean;
  /** e.g. `dnssec-invalid`, `tlsa-invalid`, `validation-failure` (MTA-STS, RFC 8460 §4.3.2). */
  readonly tlsRpt: string;
  /** What a person reads: the DANE check's message, or `MTA-STS enforce: <verdict> for <host>`. */
  readonly message: string;
}

/**
 * The best tier a sender can count on for the domain. A sender may land on any MX host it is allowed
 * to use (the preferred one may be down tomorrow), so the **weakest** such host decides; hosts the
 * recipient's DANE or MTA-STS policy refuses are skipped by a compliant sender and do not count.
 */
export interface DomainTier {
  /** The tier of the weakest usable host; `unknown` when no host is usable. */
  readonly tier: ProbeTier;
  /** The authentication of the deciding (weakest) host; `none` without one. */
  readonly authentication: Authentication;
  /** The deciding host. */
  readonly weakest?: string;
  /** The hosts a sender may use, and those it must skip (`refused` set). */
  readonly usable: readonly string[];
  /** The hosts a sender must skip (their `refused` is set), in probe order. */
  readonly skipped: readonly string[];
  /** Why the domain is not `qualified`, per host; empty exactly when it is. */
  readonly reasons: readonly ProbeReason[];
}
