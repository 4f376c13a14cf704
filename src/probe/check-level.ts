import { mailHostsRefusal } from '../dns/dns-refusal.js';
import { describeValue, ForcedTlsError, type RecipientCode } from '../errors/index.js';
import { isArray, isRecord } from '../internal/index.js';
import {
  normalizeFingerprint,
  TLS_LEVELS,
  TLS_VERSIONS,
  type TlsLevel,
  type TlsShortfall,
  type TlsVersion,
  tlsShortfall,
} from '../policy/index.js';
import type { Prober } from './prober.js';
import { ENCRYPTED_STATUSES, hostTlsFacts } from './summarize.js';
import type { HostProbe, ProbeResolution, ProbeResult, ProbeStatus } from './types.js';

/** Why a domain fails a level. */
export type LevelFailure =
  | ProbeStatus
  | Exclude<ProbeResolution, 'mx' | 'a_fallback'>
  | 'fingerprint_mismatch'
  | 'not_qualified';

/** The answer to "may mail for this domain go out at this level?". */
export interface DomainLevelCheck {
  readonly ok: boolean;
  readonly domain: string;
  readonly level: TlsLevel;
  /** Why not (the first failing host's status, the DNS outcome, `fingerprint_mismatch` or `not_qualified`); absent when ok. */
  readonly reason?: LevelFailure;
  /** The recipient error code to refuse with: `ERECIPIENTTLS`, `ETLSVERSION`, `ENOTQUALIFIED`, `ENULLMX`, `ENOMX` or `ETIMEOUT`. */
  readonly code?: RecipientCode;
  /** Whether trying again later may succeed (DNS failure, timeout, unreachable host). */
  readonly transient: boolean;
  /** The hosts that fail the level. */
  readonly failing: readonly HostProbe[];
  /** The probe result the answer is based on (absent for `may`, which needs no probe). */
  readonly result?: ProbeResult;
}

const TRANSIENT: ReadonlySet<string> = new Set([
  'dns_error',
  'timeout',
  'unreachable',
  'handshake_failed',
  'protocol_error',
]);

// A host that failed the level: a probe timeout is ETIMEOUT, a session below `qualified`
// ENOTQUALIFIED, any other host failure ERECIPIENTTLS.
function hostCode(reason: LevelFailure): RecipientCode {
  if (reason === 'timeout') return 'ETIMEOUT';
  if (reason === 'not_qualified') return 'ENOTQUALIFIED';
  return 'ERECIPIENTTLS';
}

/** Why a host fails: a version or pin shortfall over established TLS, else the host's status. */
function failureOf(host: HostProbe, shortfall: TlsShortfall): LevelFailure {
  if (!ENCRYPTED_STATUSES.has(host.status)) return host.status;
  if (shortfall === 'fingerprint_not_pinned') return 'fingerprint_mismatch';
  if (shortfall === 'tls_version_too_old') return 'tls_version_too_old';
  // The probe does not assess the tier yet: a `qualified` level fails on every host (fail closed).
  if (shortfall === 'not_qualified') return 'not_qualified';
  return host.status;
}

/**
 * Checks a recipient domain against a policy level with a (caching) prober: the relay mode's
 * pre-send check of the recipient's MX. `ok` only if **every** MX host satisfies the level —
 * `encrypt`: TLS established; `verify`: chain valid and name matches; `fingerprint`: TLS with a
 * certificate whose SHA-256 fingerprint is in `fingerprints`; each at `minVersion` or newer (the policy's
 * `tlsShortfall` judges every host). `may` is always ok without probing.
 * A probe is a snapshot: it says nothing certain about the relay's next connection (see docs/probe.md).
 *
 * @example
 * ```ts
 * const check = await checkDomainLevel(prober, 'mandant-gmbh.de', 'verify');
 * if (!check.ok) refuse(check.code, check.reason, check.transient);
 * ```
 */
export async function checkDomainLevel(
  prober: Pick<Prober, 'probe'>,
  domain: string,
  level: TlsLevel,
  fingerprints: readonly string[] = [],
  minVersion?: TlsVersion,
): Promise<DomainLevelCheck> {
  checkArguments(prober, domain, level, fingerprints, minVersion);
  if (level === 'may') return { ok: true, domain, level, transient: false, failing: [] };
  const result = await prober.probe(domain);
  if (!isProbeResult(result)) {
    throw refuse('prober', typeof result, 'probe() did not resolve to a ProbeResult');
  }
  const base = { domain: result.domain, level, result };
  if (result.hosts.length === 0) {
    const reason = result.resolution as Exclude<ProbeResolution, 'mx' | 'a_fallback'>;
    return {
      ...base,
      ok: false,
      reason,
      code: mailHostsRefusal(result.domain, result)?.code ?? 'ENOMX',
      transient: TRANSIENT.has(reason),
      failing: [],
    };
  }
  const pins = fingerprints.map((f) => normalizeFingerprint(f)).filter((f): f is string => f !== undefined);
  const requirement = { level, minVersion: minVersion ?? 'TLSv1.2', fingerprints: pins } as const;
  const judged = result.hosts.map((host) => ({
    host,
    shortfall: tlsShortfall(hostTlsFacts(host), requirement),
  }));
  const failing = judged.filter((j) => j.shortfall !== undefined).map((j) => j.host);
  const first = judged.find((j) => j.shortfall !== undefined);
  if (first?.shortfall === undefined) return { ...base, ok: true, transient: false, failing };
  const reason = failureOf(first.host, first.shortfall);
  // A host that negotiated TLS below the minimum is refused as the transport would (ETLSVERSION).
  const code =
    reason === 'tls_version_too_old' && first.host.protocol !== undefined ? 'ETLSVERSION' : hostCode(reason);
  return { ...base, ok: false, reason, code, transient: TRANSIENT.has(reason), failing };
}

function refuse(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `checkDomainLevel: ${path} ${describeValue(value)}: ${why}`, {
    path,
    value,
  });
}

/**
 * Throws `EPOLICY` (`EADDRESS` for the domain) for arguments of the wrong type.
 *
 * @example
 * ```ts
 * checkArguments(prober, 'mandant.de', 'verify', [], undefined); // ok; a level 'strict' throws EPOLICY
 * ```
 */
export function checkArguments(
  prober: unknown,
  domain: unknown,
  level: unknown,
  fingerprints: unknown,
  minVersion: unknown,
): void {
  let probe: unknown;
  try {
    probe = (prober as { probe?: unknown } | null | undefined)?.probe;
  } catch {
    probe = undefined;
  }
  if (typeof probe !== 'function') throw refuse('prober', typeof prober, 'must have a probe() method');
  if (typeof domain !== 'string') {
    throw new ForcedTlsError(
      'EADDRESS',
      `checkDomainLevel: domain ${describeValue(domain)} is not a string`,
      {
        path: 'domain',
        value: domain,
      },
    );
  }
  if (!TLS_LEVELS.includes(level as TlsLevel))
    throw refuse('level', level, `must be one of ${TLS_LEVELS.join(', ')}`);
  if (!isArray(fingerprints) || fingerprints.some((f) => typeof f !== 'string')) {
    throw refuse('fingerprints', fingerprints, 'must be an array of strings');
  }
  if (minVersion !== undefined && !TLS_VERSIONS.includes(minVersion as TlsVersion)) {
    throw refuse('minVersion', minVersion, `must be one of ${TLS_VERSIONS.join(', ')}`);
  }
}

// Not a type guard: the result keeps its declared type once it passed.
function isProbeResult(result: unknown): boolean {
  if (!isRecord(result)) return false;
  const hosts = result['hosts'];
  return isArray(hosts) && hosts.every((h) => isRecord(h));
}
