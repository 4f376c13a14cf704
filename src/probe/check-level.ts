import { mailHostsRefusal } from '../dns/index.js';
import { describeValue, ForcedTlsError, type RecipientCode } from '../errors/index.js';
import { isArray, isRecord } from '../internal/index.js';
import {
  assessTier,
  enforcedRequirement,
  normalizeFingerprint,
  type PublishedAuthentication,
  TLS_LEVELS,
  TLS_VERSIONS,
  type TlsLevel,
  type TlsShortfall,
  type TlsVersion,
  tlsShortfall,
} from '../policy/index.js';
import type { Prober } from './prober.js';
import { ENCRYPTED_STATUSES, hostTlsFacts } from './summarize.js';
import type { HostTier } from './tier-types.js';
import type { HostProbe, ProbeResolution, ProbeResult, ProbeStatus } from './types.js';

/**
 * Why a domain fails a level: the first failing host's status, the DNS outcome, or
 * `fingerprint_mismatch`, `not_qualified` (the host's tier is below `qualified`), `dnssec_failed`
 * (a DANE lookup failed or was bogus), `dane_mismatch` (usable TLSA records, none matched),
 * `mta_sts_refused` (the recipient's `enforce` policy refuses the host), `mta_sts_unknown` (the
 * MTA-STS resolver failed: whether a policy applies is not known).
 */
export type LevelFailure =
  | ProbeStatus
  | Exclude<ProbeResolution, 'mx' | 'a_fallback'>
  | 'fingerprint_mismatch'
  | 'not_qualified'
  | 'dnssec_failed'
  | 'dane_mismatch'
  | 'mta_sts_refused'
  | 'mta_sts_unknown'
  | 'dane_required';

/** The answer to "may mail for this domain go out at this level?". */
export interface DomainLevelCheck {
  /** True when every MX host of the domain meets the level. */
  readonly ok: boolean;
  /** The domain checked (lowercase A-label). */
  readonly domain: string;
  /** The level checked for. */
  readonly level: TlsLevel;
  /** Why not; absent when ok. */
  readonly reason?: LevelFailure;
  /**
   * The recipient error code to refuse with: `ERECIPIENTTLS`, `ETLSVERSION`, `ENOTQUALIFIED`,
   * `EDNSSEC`, `EDANEMISMATCH`, `EDANEREQUIRED` (level `dane-only`, no usable TLSA record), `EMTASTS`,
   * `ENOSTARTTLS` (DANE made TLS mandatory), `ENULLMX`,
   * `ENOMX` or `ETIMEOUT`.
   */
  readonly code?: RecipientCode;
  /** Whether trying again later may succeed (DNS or DNSSEC failure, timeout, unreachable host, DANE, MTA-STS). */
  readonly transient: boolean;
  /** The hosts that fail the level. */
  readonly failing: readonly HostProbe[];
  /** One line about the first failing host: its tier reasons for `not_qualified`, else its refusal or status. */
  readonly detail?: string;
  /** The probe result the answer is based on (absent for `may`, which needs no probe). */
  readonly result?: ProbeResult;
}

const TRANSIENT: ReadonlySet<string> = new Set([
  'dns_error',
  'timeout',
  'unreachable',
  'handshake_failed',
  'protocol_error',
  'dnssec_failed',
  'dane_mismatch',
  'dane_required',
  'mta_sts_refused',
  'mta_sts_unknown',
]);

const CODES: Readonly<Record<string, RecipientCode>> = {
  timeout: 'ETIMEOUT',
  not_qualified: 'ENOTQUALIFIED',
  dnssec_failed: 'EDNSSEC',
  dane_mismatch: 'EDANEMISMATCH',
  mta_sts_refused: 'EMTASTS',
  mta_sts_unknown: 'EMTASTS',
  dane_required: 'EDANEREQUIRED',
};

const REFUSALS: Readonly<Record<string, LevelFailure>> = {
  EDNSSEC: 'dnssec_failed',
  EDANEMISMATCH: 'dane_mismatch',
  EMTASTS: 'mta_sts_refused',
  EDANEREQUIRED: 'dane_required',
};

interface Judged {
  readonly host: HostProbe;
  readonly failure?: { reason: LevelFailure; code: RecipientCode; detail: string };
}

/** Why a host fails over established TLS, else its status. */
function failureOf(
  host: HostProbe,
  shortfall: TlsShortfall,
  level: TlsLevel,
  published?: PublishedAuthentication,
): LevelFailure {
  if (!ENCRYPTED_STATUSES.has(host.status)) return host.status;
  if (shortfall === 'fingerprint_not_pinned') return 'fingerprint_mismatch';
  if (shortfall === 'tls_version_too_old') return 'tls_version_too_old';
  if (shortfall === 'not_qualified') return 'not_qualified';
  if (shortfall === 'authentication_missing') {
    if (published === 'dane') return 'dane_mismatch';
    // Level dane-only without usable TLSA records: DANE was required, whatever else is published.
    return level === 'dane-only' ? 'dane_required' : 'mta_sts_refused';
  }
  return host.status;
}

// The tier with the pins a rule gives: a pinned certificate authenticates the server (`pinned`).
function tierWithPins(host: HostProbe, pins: readonly string[]): HostTier | undefined {
  if (pins.length === 0 || host.facts === undefined || host.tier?.tier === 'unknown') return host.tier;
  const fp = host.certificate?.fingerprint256.toUpperCase();
  const pinned = assessTier({ ...host.facts, fingerprintPinned: fp !== undefined && pins.includes(fp) });
  return { ...pinned, reasons: pinned.reasons };
}

function judge(
  host: HostProbe,
  result: ProbeResult,
  level: TlsLevel,
  pins: string[],
  min: TlsVersion,
): Judged {
  if (host.refused !== undefined) {
    const { code, message } = host.refused;
    return { host, failure: { reason: REFUSALS[code] ?? host.status, code, detail: message } };
  }
  const mtaSts = result.mtaSts?.mode === 'enforce' && result.mtaSts.source !== 'none';
  const published = host.dane?.status === 'dane_required' ? 'dane' : mtaSts ? 'mta-sts' : undefined;
  const requirement = enforcedRequirement({ level, minVersion: min, fingerprints: pins }, { published });
  const tier = tierWithPins(host, pins);
  const facts = {
    ...hostTlsFacts(host),
    tier: tier?.tier === 'unknown' ? undefined : tier?.tier,
    proven: tier?.proven,
  };
  const shortfall = tlsShortfall(facts, requirement);
  if (shortfall === undefined) return { host };
  const reason = failureOf(host, shortfall, level, published);
  // A host that negotiated TLS below the minimum is refused as the transport would (ETLSVERSION).
  const code =
    reason === 'tls_version_too_old' && host.protocol !== undefined
      ? 'ETLSVERSION'
      : (CODES[reason] ?? 'ERECIPIENTTLS');
  const detail =
    reason === 'not_qualified'
      ? (tier?.reasons ?? []).map((r) => r.text).join('; ') || 'tier not known'
      : reason === 'dane_required'
        ? `no usable DNSSEC-validated TLSA record: ${host.dane === undefined ? 'DANE not checked' : `DANE ${host.dane.status} (${host.dane.reason})`}`
        : (host.error?.message ?? reason);
  return { host, failure: { reason, code, detail: `${host.host}: ${detail}` } };
}

/**
 * Checks a recipient domain against a policy level with a (caching) prober: the relay mode's
 * pre-send check of the recipient's MX. `ok` only if **every** MX host satisfies the level —
 * `encrypt`: TLS established; `verify`: chain valid and name matches; `fingerprint`: a certificate
 * whose SHA-256 fingerprint is in `fingerprints`; `qualified`: the host's tier is `qualified`
 * (a pinned certificate counts as authentication) — each at `minVersion` or newer, and each meeting
 * what the recipient publishes (the stricter wins, `enforcedRequirement`): usable DANE TLSA records
 * must match, an MTA-STS `enforce` policy must list the host and its certificate must be valid;
 * a failed DNSSEC lookup defers. The policy's `tlsShortfall` judges every host. `may` is always ok
 * without probing. A probe is a snapshot: it says nothing certain about the relay's next connection
 * (see docs/probe.md).
 *
 * @example
 * ```ts
 * const check = await checkDomainLevel(prober, 'mandant-gmbh.de', 'qualified');
 * if (!check.ok) refuse(check.code, check.reason, check.transient, check.detail);
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
  if (result.mtaSts?.status === 'error') {
    // Whether an enforce policy is cached is not known: fail closed, as the sender would.
    const detail = `MTA-STS resolver failed: ${result.mtaSts.error?.code ?? 'unknown'}`;
    return {
      ...base,
      ok: false,
      reason: 'mta_sts_unknown',
      code: 'EMTASTS',
      transient: true,
      failing: [],
      detail,
    };
  }
  const pins = fingerprints.map((f) => normalizeFingerprint(f)).filter((f): f is string => f !== undefined);
  const judged = result.hosts.map((host) => judge(host, result, level, pins, minVersion ?? 'TLSv1.2'));
  const failing = judged.filter((j) => j.failure !== undefined).map((j) => j.host);
  const first = judged.find((j) => j.failure !== undefined)?.failure;
  if (first === undefined) return { ...base, ok: true, transient: false, failing };
  const { reason, code, detail } = first;
  return { ...base, ok: false, reason, code, transient: TRANSIENT.has(reason), failing, detail };
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
