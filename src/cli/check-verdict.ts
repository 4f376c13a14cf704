import type { RecipientCode } from '../errors/index.js';
import type { TlsLevel } from '../policy/index.js';
import type { HostDane, HostProbe, ProbeResult, ProbeStatus } from '../probe/index.js';
import { checkDomain, type HostFailure, type HostJudgement, judgeHost } from './check-judgement.js';
import { EXIT, type ExitCode } from './io.js';

/** Levels `check` can require: every policy level. */
export type CheckLevel = TlsLevel;

/**
 * The verdict on one domain:
 * - `ok`: every MX host satisfies the level (and what the recipient publishes);
 * - `fail`: a definite finding below the level (no STARTTLS, bad certificate, not qualified, a host
 *   the recipient's DANE or MTA-STS refuses, a bogus DNSSEC answer, no mail server, …);
 * - `unknown`: could not be checked (DNS failure, no such domain, hosts unreachable or timing out, a
 *   DNSSEC lookup that got no answer, an MTA-STS resolver that failed).
 */
export type CheckVerdict = 'ok' | 'fail' | 'unknown';

/** The verdict on one domain, why, and the judgement of each MX host (in the order of `result.hosts`). */
export interface DomainJudgement {
  readonly verdict: CheckVerdict;
  /** `verdict` is `ok`. */
  readonly ok: boolean;
  /** The first failing host's code and reason, or the domain's (`ENULLMX`, `ENOMX`, …). */
  readonly code?: RecipientCode;
  readonly reason?: HostFailure;
  readonly transient: boolean;
  readonly detail?: string;
  /** The hosts that fail the level. */
  readonly failing: readonly string[];
  readonly hosts: readonly HostJudgement[];
}

const NETWORK_STATUSES: ReadonlySet<ProbeStatus> = new Set<ProbeStatus>(['unreachable', 'timeout']);

function bogus(dane: HostDane | undefined): boolean {
  const d = dane?.dnssec;
  return d?.mx === 'bogus' || d?.address === 'bogus' || d?.tlsa === 'bogus';
}

// A failing host that says nothing about the recipient's TLS: not reached (and not refused for what
// it publishes), a DNSSEC lookup that failed without a bogus answer, an MTA-STS resolver failure.
function noFinding(host: HostProbe, judged: HostJudgement): boolean {
  if (judged.reason === 'mta_sts_unknown') return true;
  if (judged.code === 'EDNSSEC') return !bogus(host.dane);
  return host.refused === undefined && NETWORK_STATUSES.has(host.status);
}

/**
 * Judges one probe result at `level` with the relay's `check-mx` judgement per host
 * ({@link judgeHost}); `pins` are the `--fingerprint` pins for `fingerprint` (and `qualified`).
 *
 * @example
 * ```ts
 * const judged = await judgeDomain(result, 'verify', []);
 * judged.verdict; // 'ok' | 'fail' | 'unknown'
 * ```
 */
export async function judgeDomain(
  result: ProbeResult,
  level: CheckLevel,
  pins: readonly string[] = [],
): Promise<DomainJudgement> {
  const [domain, hosts] = await Promise.all([
    checkDomain(result, level, pins),
    Promise.all(result.hosts.map((h) => judgeHost(result, h, level, pins))),
  ]);
  const failing = hosts.filter((h) => !h.ok);
  const first = failing[0];
  const why = first ?? domain;
  let verdict: CheckVerdict;
  if (result.resolution === 'dns_error' || result.resolution === 'nxdomain') verdict = 'unknown';
  else if (result.hosts.length === 0) verdict = 'fail';
  else if (domain.ok && failing.length === 0) verdict = 'ok';
  else {
    const quiet = failing.every((j) => noFinding(result.hosts[hosts.indexOf(j)]!, j));
    verdict = quiet ? 'unknown' : 'fail';
  }
  return {
    verdict,
    ok: verdict === 'ok',
    ...(why.code === undefined ? {} : { code: why.code }),
    ...(why.reason === undefined ? {} : { reason: why.reason }),
    transient: why.transient ?? false,
    ...(why.detail === undefined ? {} : { detail: why.detail }),
    failing: failing.map((h) => h.host),
    hosts,
  };
}

/**
 * The levels the text output lists as satisfied: encrypt, verify, qualified.
 *
 * @example
 * ```text
 * mandant.test  OK for verify  (satisfies: encrypt, verify)
 * ```
 */
export const SHOWN_LEVELS: readonly CheckLevel[] = ['encrypt', 'verify', 'qualified'];

/**
 * Which of {@link SHOWN_LEVELS} the domain satisfies, judged as the verdict is (with what the
 * recipient publishes on top), so the list never contradicts the verdict.
 *
 * @example
 * ```ts
 * await levelsMet(result, []); // ['encrypt', 'verify']
 * ```
 */
export async function levelsMet(result: ProbeResult, pins: readonly string[] = []): Promise<CheckLevel[]> {
  const judged = await Promise.all(SHOWN_LEVELS.map((l) => judgeDomain(result, l, pins)));
  return SHOWN_LEVELS.filter((_, i) => judged[i]?.verdict === 'ok');
}

/**
 * The exit code of `check`: `2` when any domain definitely fails the level (a finding beats an
 * unknown), else `3` when any domain could not be checked, else `0`.
 */
export function checkExitCode(verdicts: readonly CheckVerdict[]): ExitCode {
  if (verdicts.includes('fail')) return EXIT.unsatisfied;
  if (verdicts.includes('unknown')) return EXIT.network;
  return EXIT.ok;
}
