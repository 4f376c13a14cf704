import type { ProbeResult } from '../probe/index.js';
import { certificateVerified, hostCode } from './check-codes.js';
import type { HostJudgement } from './check-judgement.js';
import type { CheckLevel, DomainJudgement } from './check-verdict.js';

function checkJson(j: Omit<HostJudgement, 'host'> & { readonly failing?: readonly string[] }) {
  return {
    ok: j.ok,
    ...(j.code === undefined ? {} : { code: j.code }),
    ...(j.reason === undefined ? {} : { reason: j.reason }),
    ...(j.transient === undefined || j.ok ? {} : { transient: j.transient }),
    ...(j.detail === undefined ? {} : { detail: j.detail }),
    ...(j.failing === undefined ? {} : { failing: j.failing }),
  };
}

/**
 * One domain of `check --json`: the verdict, the level check (`check`: `ok`, and for a failure the
 * code, reason, whether it is transient, the detail and the failing hosts), `meets` (which of
 * encrypt, verify, qualified the domain satisfies, judged like the verdict), then the whole probe
 * result (MTA-STS, DANE, tier, …; its `satisfies` is the probe's, without what the recipient publishes). Each host also carries the recipient code of its status (`code`,
 * `null` for `starttls_ok`), `certificateVerified` (chain and name) and its own level check.
 *
 * @example
 * ```ts
 * checkDomainJson(result, judged, ['encrypt']); // { verdict: 'ok', check: { ok: true }, meets: ['encrypt'], domain: 'mandant.test', … }
 * ```
 */
export function checkDomainJson(result: ProbeResult, judged: DomainJudgement, meets: readonly CheckLevel[]) {
  const { verdict, hosts: _hosts, ...check } = judged;
  return {
    verdict,
    check: checkJson(check),
    meets,
    ...result,
    hosts: result.hosts.map((host, i) => ({
      ...host,
      // The library's words next to the probe's: the recipient code and certificateVerified.
      code: hostCode(host) ?? null,
      ...(host.certificate === undefined ? {} : { certificateVerified: certificateVerified(host) }),
      check: checkJson(judged.hosts[i] ?? { ok: false }),
    })),
  };
}
