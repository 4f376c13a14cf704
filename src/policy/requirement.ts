import type { ProvenAuthentication, Tier } from './tier.js';
import type { DecisionSource, TlsLevel, TlsVersion } from './types.js';

/** What a connection achieved, as far as a TLS requirement cares. */
export interface TlsFacts {
  /** Negotiated protocol (`TLSv1.3`, …), or null/undefined when the connection is not TLS. */
  readonly protocol: string | null | undefined;
  /** Chain trusted and the name matched (Node's own check). */
  readonly certificateVerified: boolean;
  /** SHA-256 fingerprint of the peer certificate (`AB:CD:…`). */
  readonly fingerprint256?: string | undefined;
  /** The session's tier (`assessTier(…).tier`). Level `qualified` holds only when it is `qualified`. */
  readonly tier?: Tier | undefined;
  /** The authentications the session proved (`assessTier(…).proven`), for a published requirement. */
  readonly proven?: readonly ProvenAuthentication[] | undefined;
}

/** Authentication a recipient domain publishes for itself: an MTA-STS `enforce` policy or usable DANE TLSA records. */
export type PublishedAuthentication = 'mta-sts' | 'dane';

/** The TLS part of a decision. */
export interface TlsRequirement {
  /** The level to enforce. */
  readonly level: TlsLevel;
  /** The minimum TLS protocol version. */
  readonly minVersion: TlsVersion;
  /** Normalized `AB:CD:…` fingerprints, for `fingerprint` (and the optional pins of `qualified`). */
  readonly fingerprints: readonly string[];
  /** Authentication the session must prove on top of `level`: what the recipient publishes. */
  readonly authentication?: PublishedAuthentication | undefined;
}

/**
 * Why achieved TLS falls short of a requirement. `not_qualified`: level `qualified` and the
 * session's tier is not `qualified` (or not known); `authentication_missing`: the recipient
 * publishes MTA-STS or DANE and the session did not prove it.
 */
export type TlsShortfall =
  | 'tls_missing'
  | 'tls_version_too_old'
  | 'certificate_unverified'
  | 'fingerprint_not_pinned'
  | 'not_qualified'
  | 'authentication_missing';

const RANK: Readonly<Record<string, number>> = { TLSv1: 0, 'TLSv1.1': 1, 'TLSv1.2': 2, 'TLSv1.3': 3 };

/** The order of protocol versions; -1 for anything unknown (never meets a minimum). */
export function tlsVersionRank(protocol: string | null | undefined): number {
  return typeof protocol === 'string' && Object.hasOwn(RANK, protocol) ? (RANK[protocol] as number) : -1;
}

/** True when a negotiated protocol string (`socket.getProtocol()`) is at least `min`. */
export function meetsMinVersion(protocol: string | null | undefined, min: TlsVersion): boolean {
  const have = tlsVersionRank(protocol);
  return have >= 0 && have >= tlsVersionRank(min);
}

/**
 * The one judgement of achieved TLS against a requirement, used by the transports (before MAIL
 * FROM), the probe, the CLI and the inbound guard. `undefined` means the requirement holds; `may`
 * without a published `authentication` always holds. `qualified` is judged from `facts.tier` alone
 * (fail closed: no tier, not qualified); a published `authentication` from `facts.proven`.
 */
export function tlsShortfall(facts: TlsFacts, requirement: TlsRequirement): TlsShortfall | undefined {
  const published = requirement.authentication;
  const { level } = requirement;
  // `dane` without usable TLSA records is opportunistic, as Postfix's `dane` level.
  if ((level === 'may' || level === 'dane') && published === undefined) return undefined;
  if (facts.protocol == null) return 'tls_missing';
  if (!meetsMinVersion(facts.protocol, requirement.minVersion)) return 'tls_version_too_old';
  // A DANE-authenticated server needs no PKIX validation (RFC 7672 §3.1: DANE-EE checks no name).
  const daneProven = published === 'dane' && facts.proven?.includes('dane') === true;
  if (level === 'verify' && !facts.certificateVerified && !daneProven) return 'certificate_unverified';
  if (level === 'dane-only' && !daneProven) return 'authentication_missing';
  if (requirement.level === 'fingerprint') {
    const fp = facts.fingerprint256?.toUpperCase();
    if (fp === undefined || !requirement.fingerprints.includes(fp)) return 'fingerprint_not_pinned';
  }
  if (requirement.level === 'qualified' && facts.tier !== 'qualified') return 'not_qualified';
  if (published !== undefined && facts.proven?.includes(published) !== true) return 'authentication_missing';
  return undefined;
}

/** How a message, the recipient domain and a transport mode change what a session must enforce. */
export interface RequirementContext {
  /** The sender asked for REQUIRETLS (RFC 8689) on this message. */
  readonly requireTls?: boolean;
  /** The transport runs in testing mode: nothing the local policy requires is refused. */
  readonly testing?: boolean;
  /**
   * What the recipient domain publishes for itself: `mta-sts` for an MTA-STS policy in mode
   * `enforce` (RFC 8461), `dane` for usable DANE TLSA records (RFC 7672; pass `dane` when both exist).
   */
  readonly published?: PublishedAuthentication | undefined;
  /**
   * The recipient's MX host has DNSSEC-validated TLSA records, all unusable (RFC 7672 §2.2: TLS is
   * then mandatory, without authentication).
   */
  readonly tlsaUnusable?: boolean | undefined;
}

/** The requirement a session enforces, and what raised it above the decision. */
export interface EnforcedRequirement extends TlsRequirement {
  /** True when the sender's REQUIRETLS raised the level to `verify` (RFC 8689 §4.2.1). */
  readonly raisedByRequireTls: boolean;
  /** The level was raised to meet what the recipient publishes (`may`/`encrypt` → `verify` for MTA-STS, `may` → `encrypt` for DANE). */
  readonly raisedByPublished: boolean;
  /**
   * The decision came from a whitelist entry and the recipient publishes a requirement: the entry
   * lowered only the local policy, never the published requirement, so a refusal is not whitelistable.
   */
  readonly whitelistOverridden: boolean;
}

/** The decision fields {@link enforcedRequirement} reads. */
export interface RequirementInput extends TlsRequirement {
  /** `whitelist` when a whitelist entry lowered the decision to `may`. */
  readonly source?: DecisionSource;
}

const VERIFYING: ReadonlySet<TlsLevel> = new Set(['verify', 'fingerprint', 'qualified']);

/**
 * What a session must enforce for a decision, the stricter of the local policy and what the
 * recipient publishes. RFC 8689 §4.2.1: a REQUIRETLS message needs a validated certificate whatever
 * the policy allows, so `may` and `encrypt` become `verify`. A published requirement adds its
 * `authentication` (MTA-STS: TLS ≥ 1.2 and a PKIX-valid certificate, so at least `verify`; DANE: at
 * least `encrypt`) and is never lowered: not by a whitelist entry (which only ever lowers the local
 * policy to `may`) and not by testing mode, which lowers the local policy's level to `may` and
 * neither the sender's REQUIRETLS nor the recipient's published requirement.
 *
 * @example
 * ```ts
 * enforcedRequirement(policy.outbound('a@mandant.de'), { published: 'mta-sts' });
 * // { level: 'verify', authentication: 'mta-sts', raisedByPublished: true, … } (for an `encrypt` decision)
 * ```
 */
export function enforcedRequirement(
  decision: RequirementInput,
  context: RequirementContext = {},
): EnforcedRequirement {
  const raise = context.requireTls === true && (decision.level === 'may' || decision.level === 'encrypt');
  const local = raise ? 'verify' : decision.level;
  const lowered = context.testing === true && context.requireTls !== true ? 'may' : local;
  const published = context.published;
  const level =
    published === undefined
      ? withoutTlsa(lowered, context.tlsaUnusable === true)
      : withPublished(lowered, published);
  return {
    level,
    minVersion: decision.minVersion,
    fingerprints: decision.fingerprints,
    ...(published === undefined ? {} : { authentication: published }),
    raisedByRequireTls: raise,
    raisedByPublished: level !== lowered,
    whitelistOverridden: published !== undefined && decision.source === 'whitelist',
  };
}

// MTA-STS needs a PKIX-valid certificate (RFC 8461 §4.2), DANE at least TLS (RFC 7672 §2.2).
function withPublished(level: TlsLevel, published: PublishedAuthentication): TlsLevel {
  if (published === 'mta-sts') return VERIFYING.has(level) || level === 'dane-only' ? level : 'verify';
  return level === 'may' || level === 'dane' || level === 'dane-only' ? 'encrypt' : level;
}

// Without usable TLSA records: `dane` is opportunistic (`may`), TLS mandatory when the records
// exist but none is usable (RFC 7672 §2.2); `dane-only` stays unmet; others stay as they are,
// raised to `encrypt` by unusable records.
function withoutTlsa(level: TlsLevel, unusable: boolean): TlsLevel {
  if (level === 'dane') return unusable ? 'encrypt' : 'may';
  if (unusable && level === 'may') return 'encrypt';
  return level;
}
