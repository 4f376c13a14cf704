import { errorCode, errorMessage } from '../internal/error-code.js';
import { type MtaStsRecheck, type MtaStsResolution, matchingMxPattern } from '../mta-sts/index.js';
import { meetsMinVersion, type SessionFacts } from '../policy/index.js';
import type { HostMtaSts, HostMtaStsVerdict, ProbeMtaSts } from './mta-sts-types.js';
import type { ResolvedProbeOptions } from './options.js';
import { wasReached } from './reached.js';
import type { HostProbe } from './types.js';

/** The domain's MTA-STS state before the hosts are matched, and the resolution behind it. */
export interface DomainMtaSts {
  readonly report: Omit<ProbeMtaSts, 'matching' | 'notMatching'>;
  readonly resolution?: MtaStsResolution;
}

/**
 * Asks the probe's MTA-STS resolver for the policy of exactly `domain` with a fresh TXT lookup
 * (`recheck`, what a sender does before a permanent failure, RFC 8461 §5.1): the report shows the
 * live id, a new id is fetched, and when DNS or HTTPS fails a valid cached policy stays in force
 * (`cached`, with the failure). Never rejects.
 */
export async function resolveDomainMtaSts(
  domain: string,
  options: ResolvedProbeOptions,
): Promise<DomainMtaSts> {
  if (options.mtaSts === undefined)
    return { report: { status: 'off', off: options.mtaStsOff ?? 'disabled' } };
  let r: MtaStsRecheck;
  try {
    r = await options.mtaSts.recheck(domain);
  } catch (error) {
    // ESTORE: it cannot be known whether an enforce policy is cached.
    return {
      report: {
        status: 'error',
        error: { code: errorCode(error) ?? 'EUNKNOWN', message: errorMessage(error) },
      },
    };
  }
  const report: DomainMtaSts['report'] = {
    status: 'resolved',
    source: r.source,
    mode: r.mode,
    ...(r.id === undefined ? {} : { id: r.id }),
    ...(r.policy === undefined ? {} : { maxAge: r.policy.maxAge, mx: r.policy.mx }),
    ...(r.fetchedAt === undefined ? {} : { fetchedAt: r.fetchedAt }),
    ...(r.expiresAt === undefined ? {} : { expiresAt: r.expiresAt }),
    ...(r.ageSeconds === undefined ? {} : { ageSeconds: r.ageSeconds }),
    ...(r.txt === undefined ? {} : { txt: r.txt }),
    ...(r.failure === undefined ? {} : { failure: r.failure }),
    ...(r.previousId === undefined ? {} : { previousId: r.previousId }),
    changed: r.changed,
  };
  return { report, resolution: r };
}

function verdictOf(host: HostProbe, matched: boolean, facts: SessionFacts | undefined): HostMtaStsVerdict {
  if (!matched) return 'mx_mismatch';
  if (!wasReached(host)) return 'not_reached';
  if (facts === undefined || facts.protocol == null) {
    return host.status === 'tls_version_too_old' ? 'tls_version_too_old' : 'tls_missing';
  }
  if (!meetsMinVersion(facts.protocol, 'TLSv1.2')) return 'tls_version_too_old';
  // RFC 8461 §4.2: PKIX-valid for the MX name, by a DNS subjectAltName (no common-name fallback).
  if (facts.chainValid !== true || facts.dnsSanMatch !== true) return 'certificate_invalid';
  return 'ok';
}

/**
 * One MX host under a policy in mode `enforce` or `testing` (RFC 8461 §4): the pattern it matches and
 * the first requirement it fails, from the session's TLS facts. `undefined` without such a policy.
 * A host that was not reached has no verdict on its TLS and is never refused for it.
 */
export function hostMtaSts(
  resolution: MtaStsResolution | undefined,
  host: HostProbe,
  facts: SessionFacts | undefined,
): HostMtaSts | undefined {
  const policy = resolution?.policy;
  if (policy === undefined || (resolution?.mode !== 'enforce' && resolution?.mode !== 'testing'))
    return undefined;
  const pattern = matchingMxPattern(host.host, policy.mx);
  const matched = pattern !== undefined;
  const verdict = verdictOf(host, matched, facts);
  const refuses = resolution.mode === 'enforce' && verdict !== 'ok' && verdict !== 'not_reached';
  return {
    mode: resolution.mode,
    ...(pattern === undefined ? {} : { pattern }),
    mxMatched: matched,
    verdict,
    refuses,
  };
}

/** The domain report with the hosts that match a pattern and those that do not. */
export function withMatches(domain: DomainMtaSts, hosts: readonly HostProbe[]): ProbeMtaSts {
  const judged = hosts.filter((h) => h.mtaSts !== undefined);
  return {
    ...domain.report,
    matching: judged.filter((h) => h.mtaSts?.mxMatched).map((h) => h.host),
    notMatching: judged.filter((h) => !h.mtaSts?.mxMatched).map((h) => h.host),
  };
}
