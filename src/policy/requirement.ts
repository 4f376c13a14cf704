import type { TlsLevel, TlsVersion } from './types.js';

/** What a connection achieved, as far as a TLS requirement cares. */
export interface TlsFacts {
  /** Negotiated protocol (`TLSv1.3`, …), or null/undefined when the connection is not TLS. */
  readonly protocol: string | null | undefined;
  /** Chain trusted and the name matched (Node's own check). */
  readonly certificateVerified: boolean;
  /** SHA-256 fingerprint of the peer certificate (`AB:CD:…`). */
  readonly fingerprint256?: string | undefined;
}

/** The TLS part of a decision. */
export interface TlsRequirement {
  /** The level to enforce. */
  readonly level: TlsLevel;
  /** The minimum TLS protocol version. */
  readonly minVersion: TlsVersion;
  /** Normalized `AB:CD:…` fingerprints, for `fingerprint`. */
  readonly fingerprints: readonly string[];
}

/** Why achieved TLS falls short of a requirement. */
export type TlsShortfall =
  | 'tls_missing'
  | 'tls_version_too_old'
  | 'certificate_unverified'
  | 'fingerprint_not_pinned';

const RANK: Readonly<Record<string, number>> = { TLSv1: 0, 'TLSv1.1': 1, 'TLSv1.2': 2, 'TLSv1.3': 3 };

/** The order of protocol versions; -1 for anything unknown (never meets a minimum). */
export function tlsVersionRank(protocol: string | null | undefined): number {
  return protocol == null ? -1 : (RANK[protocol] ?? -1);
}

/** True when a negotiated protocol string (`socket.getProtocol()`) is at least `min`. */
export function meetsMinVersion(protocol: string | null | undefined, min: TlsVersion): boolean {
  const have = tlsVersionRank(protocol);
  return have >= 0 && have >= tlsVersionRank(min);
}

/**
 * The one judgement of achieved TLS against a requirement, used by the transports (before MAIL
 * FROM), the probe, the CLI and the inbound guard. `undefined` means the requirement holds; `may`
 * always holds.
 */
export function tlsShortfall(facts: TlsFacts, requirement: TlsRequirement): TlsShortfall | undefined {
  if (requirement.level === 'may') return undefined;
  if (facts.protocol == null) return 'tls_missing';
  if (!meetsMinVersion(facts.protocol, requirement.minVersion)) return 'tls_version_too_old';
  if (requirement.level === 'verify' && !facts.certificateVerified) return 'certificate_unverified';
  if (requirement.level === 'fingerprint') {
    const fp = facts.fingerprint256?.toUpperCase();
    if (fp === undefined || !requirement.fingerprints.includes(fp)) return 'fingerprint_not_pinned';
  }
  return undefined;
}

/** How a message and a transport mode change what a session must enforce. */
export interface RequirementContext {
  /** The sender asked for REQUIRETLS (RFC 8689) on this message. */
  readonly requireTls?: boolean;
  /** The transport runs in testing mode: nothing is refused for TLS. */
  readonly testing?: boolean;
}

/** The requirement a session enforces, and whether REQUIRETLS raised it above the decision. */
export interface EnforcedRequirement extends TlsRequirement {
  /** True when the sender's REQUIRETLS raised the level to `verify` (RFC 8689 §4.2.1). */
  readonly raisedByRequireTls: boolean;
}

/**
 * What a session must enforce for a decision. RFC 8689 §4.2.1: a REQUIRETLS message needs a
 * validated certificate whatever the policy allows, so `may` and `encrypt` become `verify`. Testing
 * mode lowers the policy's level to `may`, never the sender's REQUIRETLS.
 */
export function enforcedRequirement(
  decision: TlsRequirement,
  context: RequirementContext = {},
): EnforcedRequirement {
  const raise = context.requireTls === true && (decision.level === 'may' || decision.level === 'encrypt');
  const level = raise ? 'verify' : decision.level;
  const lowered = context.testing === true && context.requireTls !== true;
  return {
    level: lowered ? 'may' : level,
    minVersion: decision.minVersion,
    fingerprints: decision.fingerprints,
    raisedByRequireTls: raise,
  };
}
