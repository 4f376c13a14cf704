import type { RecipientCode } from '../errors/index.js';
import type { TlsLevel } from '../policy/index.js';
import {
  checkDomainLevel,
  type DomainLevelCheck,
  type HostProbe,
  type LevelFailure,
  type ProbeResult,
} from '../probe/index.js';
import { hostCode } from './check-codes.js';

/** Why one MX host fails the level: the probe's `LevelFailure`. */
export type HostFailure = LevelFailure;

/** What a sender at the level does with one MX host, in the library's words. */
export interface HostJudgement {
  /** The MX host name. */
  readonly host: string;
  /** The host meets the level and what the recipient publishes. */
  readonly ok: boolean;
  /** The recipient code a sender at the level would refuse the host with (`ENOSTARTTLS`, `ENOTQUALIFIED`, `EMTASTS`, …). */
  readonly code?: RecipientCode;
  readonly reason?: HostFailure;
  /** Whether trying again later may succeed. */
  readonly transient?: boolean;
  /** One line about the failure, beginning with the host name. */
  readonly detail?: string;
}

// The probe result is already there: the level check asks this "prober" instead of probing again.
const answering = (result: ProbeResult) => ({ probe: async () => result });

function fromCheck(host: HostProbe, check: DomainLevelCheck): HostJudgement {
  if (check.ok) return { host: host.host, ok: true };
  const reason = check.reason;
  // The code a refused delivery carries: the conversation's own (ENOSTARTTLS, …), EFINGERPRINT for a pin.
  const code =
    reason === host.status
      ? (hostCode(host) ?? check.code)
      : reason === 'fingerprint_mismatch'
        ? 'EFINGERPRINT'
        : check.code;
  return {
    host: host.host,
    ok: false,
    ...(code === undefined ? {} : { code }),
    ...(reason === undefined ? {} : { reason }),
    transient: check.transient,
    ...(check.detail === undefined ? {} : { detail: check.detail }),
  };
}

/**
 * Judges one MX host at `level` with the same judgement as the relay's `check-mx`
 * (`checkDomainLevel` on a result of this host alone): the stricter of the level and what the
 * recipient publishes (DANE, MTA-STS `enforce`), a pinned certificate authenticating at `qualified`.
 *
 * @example
 * ```ts
 * const judged = await judgeHost(result, result.hosts[0]!, 'qualified', []);
 * // { host: 'mx1.mandant.test', ok: false, code: 'ENOTQUALIFIED', reason: 'not_qualified', … }
 * ```
 */
export async function judgeHost(
  result: ProbeResult,
  host: HostProbe,
  level: TlsLevel,
  pins: readonly string[],
): Promise<HostJudgement> {
  const check = await checkDomainLevel(answering({ ...result, hosts: [host] }), result.domain, level, pins);
  return fromCheck(host, check);
}

/**
 * The level check of the whole domain (no hosts, a failed MTA-STS resolver), as `checkDomainLevel`
 * gives it.
 *
 * @example
 * ```ts
 * (await checkDomain(result, 'verify', [])).ok;
 * ```
 */
export function checkDomain(
  result: ProbeResult,
  level: TlsLevel,
  pins: readonly string[],
): Promise<DomainLevelCheck> {
  return checkDomainLevel(answering(result), result.domain, level, pins);
}
