import { type HostProbe, type ProbeResult, type ProbeStatus, satisfiedLevels } from '../probe/index.js';
import { EXIT, type ExitCode } from './io.js';

/** Levels `check` can require. */
export type CheckLevel = 'encrypt' | 'verify';

/**
 * The verdict on one domain:
 * - `ok`: every MX host satisfies the level;
 * - `fail`: a definite finding below the level (no STARTTLS, bad certificate, no mail server, …);
 * - `unknown`: could not be checked (DNS failure, no such domain, hosts unreachable or timing out).
 */
export type CheckVerdict = 'ok' | 'fail' | 'unknown';

const NETWORK_STATUSES: ReadonlySet<ProbeStatus> = new Set<ProbeStatus>(['unreachable', 'timeout']);

// The probe's own judgement, asked about one host at a time: a second copy of "which statuses
// count as encrypted" here could drift from the probe's.
export function hostMeets(host: HostProbe, level: CheckLevel): boolean {
  return satisfiedLevels([host])[level];
}

/** Judges one probe result against the required level. */
export function verdictOf(result: ProbeResult, level: CheckLevel): CheckVerdict {
  if (result.resolution === 'dns_error' || result.resolution === 'nxdomain') return 'unknown';
  if (result.satisfies[level]) return 'ok';
  const failing = result.hosts.filter((h) => !hostMeets(h, level));
  // Only hosts we could not talk to are failing: that is no finding about their TLS.
  if (failing.length > 0 && failing.every((h) => NETWORK_STATUSES.has(h.status))) return 'unknown';
  return 'fail';
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
