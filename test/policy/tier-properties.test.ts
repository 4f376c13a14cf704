import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessTier,
  BSI_PROFILE,
  judgeBsiProfile,
  type SessionFacts,
  tlsShortfall,
} from '../../src/policy/index.js';

// Seeded, so a failure reproduces; fast-check prints the seed and the counterexample.
const SEED = 20261202;

// Plausible values mixed with junk of other types: the tier must hold for both.
const JUNK = [
  undefined,
  null,
  0,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'x',
  true,
  {},
  [],
  10n,
] as const;
const pick = <T>(values: readonly T[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...values), weight: 4 },
    { arbitrary: fc.constantFrom(...JUNK), weight: 1 },
  );
const facts: fc.Arbitrary<SessionFacts> = fc.record(
  {
    protocol: pick([null, 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', '']),
    cipher: pick([
      ...BSI_PROFILE.tls12Suites,
      ...BSI_PROFILE.tls13Suites,
      'TLS_RSA_WITH_AES_128_CBC_SHA',
      'TLS_CHACHA20_POLY1305_SHA256',
    ]),
    group: pick([...BSI_PROFILE.tls12Groups, ...BSI_PROFILE.tls13Groups, 'x25519']),
    groupType: pick(['ECDH', 'DH']),
    groupBits: pick([253, 256, 2048, 3072]),
    signatureAlgorithm: pick([...BSI_PROFILE.signatureSchemes, 'rsa_pkcs1_sha256']),
    peerKeyType: pick(['rsa', 'rsa-pss', 'ec', 'dsa', 'ed25519']),
    peerKeyBits: pick([1024, 2048, 3072, 4096, 256, 384]),
    peerKeyCurve: pick([...BSI_PROFILE.curves, 'secp256k1']),
    chainValid: pick([true, false]),
    nameValid: pick([true, false]),
    dnsSanMatch: pick([true, false]),
    fingerprintPinned: pick([true, false]),
    mtaStsMode: pick(['enforce', 'testing', 'none']),
    mtaStsMxMatched: pick([true, false]),
    daneAuthenticated: pick([true, false]),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<SessionFacts>;

const QUALIFYING = new Set(['mta-sts', 'dane', 'pinned']);

/** Every invariant of one assessment; returns the first one broken, or undefined. */
function broken(f: SessionFacts): string | undefined {
  const result = assessTier(f);
  if (result.tier === 'qualified') {
    if (!QUALIFYING.has(result.authentication)) return 'qualified without authentication';
    if (f.protocol !== 'TLSv1.2' && f.protocol !== 'TLSv1.3') return 'qualified without TLS 1.2+';
    if (!judgeBsiProfile(f).within) return 'qualified outside the profile';
    if (result.reasons.length > 0) return 'qualified with reasons';
  } else if (result.reasons.length === 0) return 'not qualified without a reason';
  // The authentication claimed is backed by the facts that say exactly that.
  if (result.authentication === 'dane' && f.daneAuthenticated !== true) return 'dane unproven';
  if (result.authentication === 'pinned' && f.fingerprintPinned !== true) return 'pinned unproven';
  if (
    result.proven.includes('mta-sts') &&
    !(
      f.mtaStsMode === 'enforce' &&
      f.mtaStsMxMatched === true &&
      f.dnsSanMatch === true &&
      f.chainValid === true
    )
  )
    return 'mta-sts unproven';
  // Level qualified holds exactly for a qualified session.
  const shortfall = tlsShortfall(
    {
      protocol: typeof f.protocol === 'string' ? f.protocol : null,
      certificateVerified: false,
      tier: result.tier,
    },
    { level: 'qualified', minVersion: 'TLSv1.2', fingerprints: [] },
  );
  if ((shortfall === undefined) !== (result.tier === 'qualified'))
    return 'level qualified disagrees with the tier';
  return undefined;
}

describe('assessTier invariants (random sessions)', () => {
  it('never throws, and never says qualified without authentication, TLS 1.2+ or the profile (40,000 sessions)', () => {
    let qualified = 0;
    fc.assert(
      fc.property(facts, (f) => {
        if (assessTier(f).tier === 'qualified') qualified++;
        expect(broken(f)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 40_000 },
    );
    // The generator reaches the qualified tier, so the first branch of the invariant is exercised.
    expect(qualified).toBeGreaterThan(0);
  });

  it('never throws on input that is not an object', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(assessTier(input as SessionFacts).tier).not.toBe('qualified');
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });
});
