import { describe, expect, it } from 'vitest';
import { assessTier, type SessionFacts, TIERS } from '../../src/policy/index.js';

// TLS 1.3 within the BSI profile, PKIX valid with a DNS SAN for the MX: everything but authentication.
const PROFILE: SessionFacts = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  group: 'secp256r1',
  groupType: 'ECDH',
  groupBits: 256,
  peerKeyType: 'rsa',
  peerKeyBits: 3072,
  chainValid: true,
  nameValid: true,
  dnsSanMatch: true,
};
const MTA_STS: SessionFacts = { ...PROFILE, mtaStsMode: 'enforce', mtaStsMxMatched: true };
const codes = (facts: SessionFacts) => assessTier(facts).reasons.map((r) => r.code);

describe('assessTier: plaintext, encrypted, qualified', () => {
  it('orders the tiers', () => {
    expect(TIERS).toEqual(['plaintext', 'encrypted', 'qualified']);
  });

  it('calls a session without TLS plaintext, whatever else it is told', () => {
    expect(assessTier({ protocol: null, daneAuthenticated: true, fingerprintPinned: true })).toMatchObject({
      tier: 'plaintext',
      authentication: 'none',
      proven: [],
      reasons: [{ code: 'plaintext', text: 'plaintext: no TLS' }],
    });
    expect(assessTier({}).tier).toBe('plaintext');
  });

  it('calls TLS within the profile but authenticated only by PKIX encrypted: the MX name came from unauthenticated DNS', () => {
    expect(assessTier(PROFILE)).toMatchObject({
      tier: 'encrypted',
      authentication: 'pkix',
      proven: ['pkix'],
      reasons: [
        {
          code: 'not_authenticated',
          text: 'not_authenticated: pkix only (the MX name came from unauthenticated DNS)',
        },
      ],
    });
  });

  it.each([
    ['an MTA-STS enforce policy listing the MX', MTA_STS, 'mta-sts'],
    ['DANE', { ...PROFILE, daneAuthenticated: true }, 'dane'],
    ['a pinned fingerprint', { ...PROFILE, fingerprintPinned: true }, 'pinned'],
    [
      'a pinned fingerprint even with an untrusted chain',
      { ...PROFILE, chainValid: false, fingerprintPinned: true },
      'pinned',
    ],
  ] as const)('calls a profile session authenticated by %s qualified', (_, facts, authentication) => {
    const tier = assessTier(facts);
    expect(tier).toMatchObject({ tier: 'qualified', authentication, reasons: [] });
    expect(tier.bsiProfile.within).toBe(true);
  });

  it('names the strongest authentication and lists all proven ones', () => {
    const all = assessTier({ ...MTA_STS, daneAuthenticated: true, fingerprintPinned: true });
    expect(all.authentication).toBe('dane');
    expect(all.proven).toEqual(['dane', 'pinned', 'mta-sts', 'pkix']);
  });

  it('keeps an authenticated session outside the BSI profile at encrypted, saying why', () => {
    const tier = assessTier({
      ...MTA_STS,
      protocol: 'TLSv1.2',
      cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA',
      group: undefined,
    });
    expect(tier).toMatchObject({ tier: 'encrypted', authentication: 'mta-sts' });
    expect(tier.reasons).toEqual([
      { code: 'outside_bsi_profile', text: 'outside_bsi_profile: cipher TLS_RSA_WITH_AES_128_CBC_SHA' },
    ]);
    expect(codes({ ...MTA_STS, peerKeyBits: 1024 })).toEqual(['outside_bsi_profile']);
    expect(assessTier({ ...MTA_STS, peerKeyBits: 1024 }).reasons[0]?.text).toBe(
      'outside_bsi_profile: peer key rsa 1024 bits',
    );
  });

  it('does not call a session qualified whose profile facts are unknown', () => {
    const tier = assessTier({ ...MTA_STS, cipher: undefined, peerKeyBits: undefined });
    expect(tier.tier).toBe('encrypted');
    expect(tier.reasons).toEqual([
      { code: 'bsi_profile_unproven', text: 'bsi_profile_unproven: cipher, peer key not known' },
    ]);
  });

  it('MTA-STS authenticates only in mode enforce, for a listed MX, with a DNS SAN, over TLS 1.2+', () => {
    expect(codes({ ...MTA_STS, mtaStsMode: 'testing' })).toEqual([
      'not_authenticated',
      'mta_sts_not_enforce',
    ]);
    expect(codes({ ...MTA_STS, mtaStsMode: 'none' })).toEqual(['not_authenticated', 'mta_sts_not_enforce']);
    expect(codes({ ...MTA_STS, mtaStsMxMatched: false })).toEqual([
      'not_authenticated',
      'mta_sts_mx_mismatch',
    ]);
    expect(codes({ ...MTA_STS, dnsSanMatch: false })).toEqual(['not_authenticated', 'no_dns_san']);
    expect(codes({ ...MTA_STS, dnsSanMatch: undefined })).toEqual(['not_authenticated', 'no_dns_san']);
    expect(assessTier({ ...MTA_STS, protocol: 'TLSv1.1' })).toMatchObject({
      tier: 'encrypted',
      authentication: 'pkix',
    });
    expect(assessTier({ ...MTA_STS, chainValid: false }).reasons[0]?.text).toBe(
      'not_authenticated: no authentication (certificate chain not valid)',
    );
    expect(assessTier({ ...MTA_STS, nameValid: false }).authentication).toBe('none');
  });

  it('says why an unauthenticated certificate is not even pkix', () => {
    expect(assessTier({ ...PROFILE, nameValid: false }).reasons[0]?.text).toBe(
      'not_authenticated: no authentication (certificate does not name the MX host)',
    );
    expect(assessTier({ ...PROFILE, chainValid: undefined }).reasons[0]?.text).toBe(
      'not_authenticated: no authentication (certificate checks not known)',
    );
  });

  it('reports the profile verdict with the tier', () => {
    expect(assessTier({ ...PROFILE, group: 'x25519' }).bsiProfile).toMatchObject({
      within: false,
      shortfalls: [{ aspect: 'group', value: 'x25519' }],
    });
  });
});
