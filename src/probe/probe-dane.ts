import type { X509Certificate } from 'node:crypto';
import { checkDaneSession, type DaneMatch, daneRequirement, matchTlsa } from '../dane/index.js';
import type { MxRecord } from '../dns/index.js';
import { type DaneHostResult, type DnssecAnswer, lookupDaneHost } from '../dnssec/index.js';
import { errorMessage } from '../internal/error-code.js';
import type { HostDane, HostDaneMatch, ProbeDane } from './dane-types.js';
import type { ResolvedProbeOptions } from './options.js';
import { probeTlsa } from './tlsa-report.js';

/** The domain's DNSSEC MX answer, when DANE is checked. */
export interface DomainDane {
  readonly report: ProbeDane;
  readonly mx?: DnssecAnswer<MxRecord>;
}

/** Asks the DNSSEC resolver for the domain's MX RRset; `off` without one. Never rejects for DNS. */
export async function resolveDomainDane(domain: string, options: ResolvedProbeOptions): Promise<DomainDane> {
  if (options.dnssec === undefined) return { report: { status: 'off' } };
  const mx = await options.dnssec.mx(domain);
  return {
    mx,
    report: {
      status: 'checked',
      mx: mx.status,
      mxKind: mx.kind,
      mxHosts: mx.records.map((r) => r.exchange).filter((h) => h !== ''),
      ...(mx.server === undefined ? {} : { server: mx.server }),
      ...(mx.message === undefined ? {} : { message: mx.message }),
    },
  };
}

/**
 * The DNSSEC lookups for one host (`lookupDaneHost`: A and AAAA, then TLSA when they allow DANE).
 * A host name the DNSSEC resolver cannot ask for counts as a failed address lookup: the host is
 * deferred, never taken as "no TLSA".
 */
export async function lookupHostDane(
  domain: DomainDane,
  host: string,
  options: ResolvedProbeOptions,
): Promise<DaneHostResult | undefined> {
  if (options.dnssec === undefined || domain.mx === undefined) return undefined;
  try {
    return await lookupDaneHost(options.dnssec, domain.mx, host);
  } catch (error) {
    const failed = { status: 'failed', kind: 'error', records: [] } as const;
    const requirement = daneRequirement({ mx: domain.mx, addresses: [failed] });
    return { host, requirement: { ...requirement, message: errorMessage(error) }, addresses: [] };
  }
}

function matchReport(match: DaneMatch): HostDaneMatch {
  if (match.matched) {
    return {
      matched: true,
      usage: match.usage,
      record: probeTlsa(match.record),
      depth: match.depth,
      ...(match.name === undefined ? {} : { name: match.name }),
    };
  }
  return {
    matched: false,
    reason: match.reason,
    tlsRpt: match.tlsRpt,
    ...(match.record === undefined ? {} : { record: probeTlsa(match.record) }),
    message: match.message,
  };
}

/**
 * DANE for one host after its conversation: the requirement, every TLSA record, whether the presented
 * chain matched (`matchTlsa`, for `dane_required`) and what a DANE sender does (`checkDaneSession`).
 * The reference names for DANE-TA are the recipient domain and the MX host (Postfix's "nexthop,
 * hostname"). Pure.
 */
export function judgeHostDane(
  lookups: DaneHostResult,
  domain: string,
  chain: readonly X509Certificate[] | undefined,
  now: Date,
): HostDane {
  const { requirement, tlsa } = lookups;
  const names = [domain, lookups.host];
  const check = checkDaneSession(requirement, { chain, names, now });
  const match =
    requirement.status === 'dane_required' && chain !== undefined
      ? matchReport(matchTlsa(chain, requirement.records, { names, now }))
      : undefined;
  return {
    status: requirement.status,
    reason: requirement.reason,
    dnssec: requirement.dnssec,
    ...(tlsa === undefined ? {} : { tlsaName: tlsa.name }),
    tlsa: (tlsa?.records ?? []).map(probeTlsa),
    ...(match === undefined ? {} : { match }),
    verdict: check.ok
      ? { ok: true, authentication: check.authentication, fallback: check.fallback }
      : {
          ok: false,
          code: check.code,
          transient: check.transient,
          tlsRpt: check.tlsRpt,
          message: check.message,
        },
    message: requirement.message,
  };
}
