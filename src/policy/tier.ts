import { type BsiFacts, type BsiVerdict, judgeBsiProfile } from './bsi-profile.js';

/**
 * How the receiving server was authenticated:
 * - `none`: not at all (plaintext, or the certificate chain or name is not valid or not known);
 * - `pkix`: chain and name valid, but the MX name came from unauthenticated DNS, so an attacker
 *   who forges the MX answer chooses the name that is checked;
 * - `mta-sts`: an MTA-STS policy in mode `enforce` (RFC 8461) lists the MX, the chain is valid and
 *   a DNS subjectAltName names the MX (a common name alone does not count), TLS 1.2 or later;
 * - `dane`: DANE-authenticated (RFC 7672); stated by the DANE lookup;
 * - `pinned`: the certificate's fingerprint is one the policy pins.
 */
export type Authentication = 'none' | 'pkix' | 'mta-sts' | 'dane' | 'pinned';

/** The authentications a session can prove, strongest first. */
export type ProvenAuthentication = Exclude<Authentication, 'none'>;

/**
 * What the transport of a message achieved, in the terms of the DSK guidance (Orientierungshilfe
 * "Maßnahmen zum Schutz personenbezogener Daten bei der Übermittlung per E-Mail", 2021):
 * - `plaintext`: no TLS;
 * - `encrypted`: TLS ("obligatorische Transportverschlüsselung");
 * - `qualified`: TLS 1.2 or 1.3 within the BSI TR-02102-2 profile **and** an authenticated server
 *   (`mta-sts`, `dane` or `pinned`) ("qualifizierte Transportverschlüsselung").
 */
export type Tier = 'plaintext' | 'encrypted' | 'qualified';

/**
 * Every tier, weakest first.
 *
 * @example
 * ```ts
 * TIERS.indexOf(assessTier(facts).tier) >= TIERS.indexOf('encrypted'); // at least encrypted
 * ```
 */
export const TIERS: readonly Tier[] = ['plaintext', 'encrypted', 'qualified'];

/**
 * The evidence of one session, filled by the transports and the probe (`readSessionFacts` reads the
 * TLS part from a socket; MTA-STS and DANE come from their lookups). Every field is optional:
 * what a source does not know stays absent, and nothing absent ever counts as proven.
 */
export interface SessionFacts extends BsiFacts {
  /** The chain verified against the trusted roots (Node's `authorized`). */
  readonly chainValid?: boolean | undefined;
  /** The certificate names the MX host (Node's `checkServerIdentity`, which accepts a CN-only certificate). */
  readonly nameValid?: boolean | undefined;
  /** A DNS subjectAltName of the certificate names the MX host (no common-name fallback). */
  readonly dnsSanMatch?: boolean | undefined;
  /** The certificate's SHA-256 fingerprint is one the policy pins for this recipient. */
  readonly fingerprintPinned?: boolean | undefined;
  /** Mode of the recipient domain's MTA-STS policy; absent when it has none or it was not looked up. */
  readonly mtaStsMode?: 'enforce' | 'testing' | 'none' | undefined;
  /** The MX host matched one of that policy's `mx` patterns. */
  readonly mtaStsMxMatched?: boolean | undefined;
  /** The DANE lookup authenticated the certificate (usable TLSA records matched). */
  readonly daneAuthenticated?: boolean | undefined;
}

/** Why a session is not qualified, as data. */
export type TierReasonCode =
  | 'plaintext'
  | 'outside_bsi_profile'
  | 'bsi_profile_unproven'
  | 'not_authenticated'
  | 'mta_sts_not_enforce'
  | 'mta_sts_mx_mismatch'
  | 'no_dns_san';

/** One reason, e.g. `{ code: 'outside_bsi_profile', text: 'outside_bsi_profile: cipher TLS_RSA_WITH_AES_128_CBC_SHA' }`. */
export interface TierReason {
  /** What stands against `qualified`; `outside_bsi_profile` comes once per profile shortfall. */
  readonly code: TierReasonCode;
  /** The code and what it is about, for logs and reports. */
  readonly text: string;
}

/** The tier of one session and why it is not higher. */
export interface TierAssessment {
  /** `plaintext` without a negotiated protocol, `qualified` when no reason stands against it, else `encrypted`. */
  readonly tier: Tier;
  /** The strongest authentication proven (`dane`, `pinned`, `mta-sts`, `pkix`, else `none`). */
  readonly authentication: Authentication;
  /** Every authentication proven, strongest first (empty for `none`). */
  readonly proven: readonly ProvenAuthentication[];
  /** The session against the BSI TR-02102-2 profile. */
  readonly bsiProfile: BsiVerdict;
  /** Why the session is not qualified; empty exactly when `tier` is `qualified`. */
  readonly reasons: readonly TierReason[];
}

const QUALIFYING: ReadonlySet<Authentication> = new Set(['mta-sts', 'dane', 'pinned']);

const reason = (code: TierReasonCode, about: string): TierReason => ({ code, text: `${code}: ${about}` });

/**
 * The one judgement of a session's tier, from its facts. Pure and total: it never throws, and a
 * fact it is not given never counts in favour of a higher tier.
 *
 * @example
 * ```ts
 * assessTier({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', group: 'secp256r1',
 *   peerKeyType: 'rsa', peerKeyBits: 3072, chainValid: true, nameValid: true });
 * // { tier: 'encrypted', authentication: 'pkix', reasons: [{ code: 'not_authenticated', text: 'not_authenticated: pkix only …' }], … }
 * ```
 */
export function assessTier(facts: SessionFacts): TierAssessment {
  const f: SessionFacts = typeof facts === 'object' && facts !== null ? facts : {};
  const bsiProfile = judgeBsiProfile(f);
  const tls = typeof f.protocol === 'string' && f.protocol !== '';
  if (!tls) {
    return {
      tier: 'plaintext',
      authentication: 'none',
      proven: [],
      bsiProfile,
      reasons: [reason('plaintext', 'no TLS')],
    };
  }
  const pkix = f.chainValid === true && f.nameValid === true;
  const tls12 = f.protocol === 'TLSv1.2' || f.protocol === 'TLSv1.3';
  const mtaSts =
    pkix && tls12 && f.mtaStsMode === 'enforce' && f.mtaStsMxMatched === true && f.dnsSanMatch === true;
  const proven: ProvenAuthentication[] = [];
  if (f.daneAuthenticated === true) proven.push('dane');
  if (f.fingerprintPinned === true) proven.push('pinned');
  if (mtaSts) proven.push('mta-sts');
  if (pkix) proven.push('pkix');
  const authentication: Authentication = proven[0] ?? 'none';
  const reasons: TierReason[] = [];
  for (const s of bsiProfile.shortfalls)
    reasons.push(reason('outside_bsi_profile', `${s.aspect.replace('_', ' ')} ${s.value}`));
  if (bsiProfile.shortfalls.length === 0 && !bsiProfile.within) {
    const missing = bsiProfile.unchecked.filter((a) => a !== 'signature_algorithm');
    reasons.push(
      reason('bsi_profile_unproven', `${missing.map((a) => a.replace('_', ' ')).join(', ')} not known`),
    );
  }
  if (!QUALIFYING.has(authentication)) reasons.push(...authenticationReasons(f, pkix));
  const tier = reasons.length === 0 ? 'qualified' : 'encrypted';
  return { tier, authentication, proven, bsiProfile, reasons };
}

function authenticationReasons(f: SessionFacts, pkix: boolean): TierReason[] {
  const base = pkix
    ? reason('not_authenticated', 'pkix only (the MX name came from unauthenticated DNS)')
    : reason('not_authenticated', `no authentication (${certificateProblem(f)})`);
  if (f.mtaStsMode === 'testing' || f.mtaStsMode === 'none')
    return [base, reason('mta_sts_not_enforce', `the MTA-STS policy is in mode ${f.mtaStsMode}`)];
  if (f.mtaStsMode !== 'enforce') return [base];
  if (f.mtaStsMxMatched !== true)
    return [base, reason('mta_sts_mx_mismatch', 'the MX host matches no mx pattern of the MTA-STS policy')];
  if (pkix && f.dnsSanMatch !== true)
    return [base, reason('no_dns_san', 'no DNS subjectAltName names the MX host (MTA-STS needs one)')];
  // Below TLS 1.2 the profile's `outside_bsi_profile: protocol …` already says why.
  return [base];
}

function certificateProblem(f: SessionFacts): string {
  if (f.chainValid === false) return 'certificate chain not valid';
  if (f.nameValid === false) return 'certificate does not name the MX host';
  return 'certificate checks not known';
}
