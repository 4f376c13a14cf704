import type { MtaStsResolution } from '../mta-sts/index.js';
import { assessTier, type SessionFacts } from '../policy/index.js';
import type { HostDane } from './dane-types.js';
import type { HostMtaSts } from './mta-sts-types.js';
import { wasReached } from './reached.js';
import type { HostTier, ProbeReason } from './tier-types.js';
import type { HostProbe } from './types.js';

/** DANE decides the host: usable TLSA records, or lookups that failed (never read as "no TLSA"). */
export function daneDecides(dane: HostDane | undefined): boolean {
  return dane?.status === 'dane_required' || dane?.status === 'deferred';
}

/**
 * The facts `assessTier` judges a host by: the session's TLS facts, then DANE and MTA-STS. DANE takes
 * precedence (RFC 8461 §2): where it decides the host, an MTA-STS policy does not authenticate it.
 */
export function tierFacts(
  tls: SessionFacts | undefined,
  resolution: MtaStsResolution | undefined,
  mtaSts: HostMtaSts | undefined,
  dane: HostDane | undefined,
): SessionFacts {
  const facts: SessionFacts = tls ?? { protocol: null };
  const daneFacts =
    dane === undefined
      ? {}
      : { daneAuthenticated: dane.verdict.ok && dane.verdict.authentication === 'dane' };
  if (daneDecides(dane) || resolution === undefined || resolution.source === 'none') {
    return { ...facts, ...daneFacts };
  }
  return {
    ...facts,
    ...daneFacts,
    mtaStsMode: resolution.mode,
    ...(mtaSts === undefined ? {} : { mtaStsMxMatched: mtaSts.mxMatched }),
  };
}

const reason = (code: ProbeReason['code'], about: string): ProbeReason => ({
  code,
  text: `${code}: ${about}`,
});

/**
 * A host's tier: `assessTier` on its facts, plus what DANE found against it; `unknown` for a host
 * that was not reached (nothing proven).
 */
export function hostTier(host: HostProbe, facts: SessionFacts, dane: HostDane | undefined): HostTier {
  if (!wasReached(host)) {
    const why = host.error === undefined ? host.status : `${host.status} (${host.error.code})`;
    return {
      tier: 'unknown',
      authentication: 'none',
      proven: [],
      reasons: [reason('not_reached', `${why}: nothing proven about its TLS`)],
    };
  }
  const assessed = assessTier(facts);
  const reasons: ProbeReason[] = [...assessed.reasons];
  if (dane?.status === 'deferred') reasons.push(reason('dnssec_failed', dane.message));
  if (dane?.match?.matched === false) reasons.push(reason('dane_mismatch', dane.match.message));
  // The DANE reasons only ever join a session assessTier already found below qualified; never upgrade.
  const tier = reasons.length === 0 || assessed.tier !== 'qualified' ? assessed.tier : 'encrypted';
  return { tier, authentication: assessed.authentication, proven: assessed.proven, reasons };
}
