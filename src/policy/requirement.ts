import { describeValue, ForcedTlsError } from '../errors/index.js';
import { readShape } from '../internal/index.js';
import { TLS_LEVELS, TLS_VERSIONS, type TlsLevel, type TlsVersion } from './types.js';

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
  readonly level: TlsLevel;
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
  return typeof protocol === 'string' && Object.hasOwn(RANK, protocol) ? (RANK[protocol] as number) : -1;
}

/** True when a negotiated protocol string (`socket.getProtocol()`) is at least `min`. */
export function meetsMinVersion(protocol: string | null | undefined, min: TlsVersion): boolean {
  if (!TLS_VERSIONS.includes(min)) throw refuse('min', min, `must be one of ${TLS_VERSIONS.join(', ')}`);
  const have = tlsVersionRank(protocol);
  return have >= 0 && have >= tlsVersionRank(min);
}

/**
 * The one judgement of achieved TLS against a requirement, used by the transports (before MAIL
 * FROM), the probe, the CLI and the inbound guard. `undefined` means the requirement holds; `may`
 * always holds.
 */
export function tlsShortfall(facts: TlsFacts, requirement: TlsRequirement): TlsShortfall | undefined {
  const f = readShape(facts, FACT_FIELDS, { path: 'facts', optional: false, subject: 'argument' });
  if (f.protocol !== undefined && f.protocol !== null && typeof f.protocol !== 'string') {
    throw refuse('facts.protocol', f.protocol, 'must be a string, null or undefined');
  }
  const r = checkRequirement(requirement, 'requirement');
  return shortfallOf(f as TlsFacts, r);
}

function shortfallOf(facts: TlsFacts, requirement: TlsRequirement): TlsShortfall | undefined {
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
  readonly raisedByRequireTls: boolean;
}

/**
 * What a session must enforce for a decision. RFC 8689 §4.2.1: a REQUIRETLS message needs a
 * validated certificate whatever the policy allows, so `may` and `encrypt` become `verify`. Testing
 * mode lowers the policy's level to `may`, never the sender's REQUIRETLS.
 */
export function enforcedRequirement(
  requirement: TlsRequirement,
  context?: RequirementContext,
): EnforcedRequirement {
  const decision = checkRequirement(requirement, 'decision');
  const { requireTls, testing } = readShape(context, CONTEXT_FIELDS, {
    path: 'context',
    subject: 'argument',
  });
  return enforce(decision, { requireTls: requireTls === true, testing: testing === true });
}

function enforce(decision: TlsRequirement, context: RequirementContext): EnforcedRequirement {
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

function refuse(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid argument ${path} ${describeValue(value)}: ${why}`, {
    path,
    value,
  });
}

const FACT_FIELDS = {
  protocol: 'any',
  certificateVerified: 'boolean',
  fingerprint256: 'string',
} as const;
const REQUIREMENT_FIELDS = { level: TLS_LEVELS, minVersion: TLS_VERSIONS, fingerprints: 'array' } as const;
const CONTEXT_FIELDS = { requireTls: 'boolean', testing: 'boolean' } as const;

/** A requirement read once and checked: a level, a version for every level but `may`, fingerprints as strings. */
function checkRequirement(value: unknown, path: string): TlsRequirement {
  const r = readShape(value, REQUIREMENT_FIELDS, { path, optional: false, subject: 'argument' });
  if (r.level === undefined)
    throw refuse(`${path}.level`, undefined, `must be one of ${TLS_LEVELS.join(', ')}`);
  if (r.minVersion === undefined && r.level !== 'may') {
    throw refuse(`${path}.minVersion`, undefined, `must be one of ${TLS_VERSIONS.join(', ')}`);
  }
  const fingerprints = (r.fingerprints ?? []) as readonly unknown[];
  const bad = fingerprints.findIndex((f) => typeof f !== 'string');
  if (bad >= 0) throw refuse(`${path}.fingerprints[${bad}]`, fingerprints[bad], 'must be a string');
  return {
    level: r.level as TlsLevel,
    minVersion: (r.minVersion ?? 'TLSv1.2') as TlsVersion,
    fingerprints: fingerprints as readonly string[],
  };
}
