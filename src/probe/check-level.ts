import type { RecipientCode } from '../errors/codes.js';
import { normalizeFingerprint } from '../policy/fingerprint.js';
import { type TlsShortfall, tlsShortfall } from '../policy/requirement.js';
import type { TlsLevel, TlsVersion } from '../policy/types.js';
import type { Prober } from './prober.js';
import { ENCRYPTED_STATUSES, hostTlsFacts } from './summarize.js';
import type { HostProbe, ProbeResolution, ProbeResult, ProbeStatus } from './types.js';

/** Why a domain fails a level. */
export type LevelFailure =
  | ProbeStatus
  | Exclude<ProbeResolution, 'mx' | 'a_fallback'>
  | 'fingerprint_mismatch';

/** The answer to "may mail for this domain go out at this level?". */
export interface DomainLevelCheck {
  /** True when every MX host of the domain meets the level. */
  readonly ok: boolean;
  /** The domain checked (lowercase A-label). */
  readonly domain: string;
  /** The level checked for. */
  readonly level: TlsLevel;
  /** Why not (the first failing host's status, the DNS outcome, or `fingerprint_mismatch`); absent when ok. */
  readonly reason?: LevelFailure;
  /** The recipient error code to refuse with: `ERECIPIENTTLS`, `ETLSVERSION`, `ENULLMX`, `ENOMX` or `ETIMEOUT`. */
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

function codeFor(reason: LevelFailure): RecipientCode {
  if (reason === 'null_mx') return 'ENULLMX';
  if (reason === 'nxdomain' || reason === 'no_mail_server') return 'ENOMX';
  if (reason === 'dns_error' || reason === 'timeout') return 'ETIMEOUT';
  return 'ERECIPIENTTLS';
}

/** Why a host fails: a version or pin shortfall over established TLS, else the host's status. */
function failureOf(host: HostProbe, shortfall: TlsShortfall): LevelFailure {
  if (!ENCRYPTED_STATUSES.has(host.status)) return host.status;
  if (shortfall === 'fingerprint_not_pinned') return 'fingerprint_mismatch';
  if (shortfall === 'tls_version_too_old') return 'tls_version_too_old';
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
  if (level === 'may') return { ok: true, domain, level, transient: false, failing: [] };
  const result = await prober.probe(domain);
  const base = { domain: result.domain, level, result };
  if (result.hosts.length === 0) {
    const reason = result.resolution as Exclude<ProbeResolution, 'mx' | 'a_fallback'>;
    return {
      ...base,
      ok: false,
      reason,
      code: codeFor(reason),
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
    reason === 'tls_version_too_old' && first.host.protocol !== undefined ? 'ETLSVERSION' : codeFor(reason);
  return { ...base, ok: false, reason, code, transient: TRANSIENT.has(reason), failing };
}
