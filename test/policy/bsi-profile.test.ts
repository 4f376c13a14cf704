import { describe, expect, it } from 'vitest';
import { BSI_PROFILE, type BsiFacts, judgeBsiProfile } from '../../src/policy/index.js';

// A TLS 1.2 session inside the profile: ECDHE-RSA with AES-GCM, P-256, a 3072-bit RSA key.
const GOOD_12: BsiFacts = {
  protocol: 'TLSv1.2',
  cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  group: 'secp256r1',
  groupType: 'ECDH',
  groupBits: 256,
  peerKeyType: 'rsa',
  peerKeyBits: 3072,
};
const GOOD_13: BsiFacts = { ...GOOD_12, protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' };

const aspects = (facts: BsiFacts) => judgeBsiProfile(facts).shortfalls.map((s) => `${s.aspect} ${s.value}`);

describe('judgeBsiProfile: a session against BSI TR-02102-2', () => {
  it('finds a TLS 1.2 ECDHE-AES-GCM session and a TLS 1.3 AES-GCM session within the profile', () => {
    expect(judgeBsiProfile(GOOD_12)).toEqual({
      within: true,
      shortfalls: [],
      unchecked: ['signature_algorithm'],
    });
    expect(judgeBsiProfile(GOOD_13).within).toBe(true);
    expect(judgeBsiProfile({ ...GOOD_13, signatureAlgorithm: 'rsa_pss_rsae_sha256' })).toEqual({
      within: true,
      shortfalls: [],
      unchecked: [],
    });
  });

  it.each([
    ['TLS 1.1', { protocol: 'TLSv1.1' }, ['protocol TLSv1.1']],
    [
      'a non-forward-secret suite (AES128-SHA)',
      { cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA' },
      ['cipher TLS_RSA_WITH_AES_128_CBC_SHA'],
    ],
    [
      'a Table 2 suite (ECDH, transition until 2026)',
      { cipher: 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256' },
      ['cipher TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256'],
    ],
    [
      'ECDHE with CHACHA20 in TLS 1.2',
      { cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' },
      ['cipher TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
    ],
    ['X25519', { group: 'x25519' }, ['group x25519']],
    ['ffdhe2048 (until 2022)', { group: 'ffdhe2048' }, ['group ffdhe2048']],
    [
      'an unnamed 2048-bit DH group',
      {
        group: undefined,
        groupType: 'DH' as const,
        groupBits: 2048,
        cipher: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
      },
      ['group DH 2048 bits'],
    ],
    ['an RSA-1024 key', { peerKeyBits: 1024 }, ['peer_key rsa 1024 bits']],
    ['an RSA-2048 key (allowed only until 2023)', { peerKeyBits: 2048 }, ['peer_key rsa 2048 bits']],
    ['an Ed25519 key', { peerKeyType: 'ed25519', peerKeyBits: undefined }, ['peer_key ed25519']],
    [
      'an EC key on secp256k1',
      { peerKeyType: 'ec', peerKeyBits: 256, peerKeyCurve: 'secp256k1' },
      ['peer_key ec secp256k1'],
    ],
    [
      'an EC key of 224 bits',
      { peerKeyType: 'ec', peerKeyBits: 224, peerKeyCurve: 'secp224r1' },
      ['peer_key ec 224 bits'],
    ],
    [
      'RSASSA-PKCS1-v1_5 (until 2025)',
      { signatureAlgorithm: 'rsa_pkcs1_sha256' },
      ['signature_algorithm rsa_pkcs1_sha256'],
    ],
  ] as const)('puts a TLS 1.2 session with %s outside', (_, change, expected) => {
    const verdict = judgeBsiProfile({ ...GOOD_12, ...change });
    expect(verdict.within).toBe(false);
    expect(aspects({ ...GOOD_12, ...change })).toEqual(expected);
  });

  it('puts TLS 1.3 with CHACHA20 outside (Table 12 lists AES-GCM and AES-CCM only)', () => {
    expect(aspects({ ...GOOD_13, cipher: 'TLS_CHACHA20_POLY1305_SHA256' })).toEqual([
      'cipher TLS_CHACHA20_POLY1305_SHA256',
    ]);
    expect(judgeBsiProfile({ ...GOOD_13, cipher: 'TLS_AES_128_CCM_SHA256' }).within).toBe(true);
  });

  it('keeps the versions apart: a TLS 1.3 suite in TLS 1.2, brainpool groups per version', () => {
    expect(aspects({ ...GOOD_12, cipher: 'TLS_AES_128_GCM_SHA256' })).toEqual([
      'cipher TLS_AES_128_GCM_SHA256',
    ]);
    expect(judgeBsiProfile({ ...GOOD_12, group: 'brainpoolP256r1' }).within).toBe(true);
    expect(judgeBsiProfile({ ...GOOD_13, group: 'brainpoolP256r1tls13' }).within).toBe(true);
  });

  it('judges an unnamed DH group by its size, 3000 bits (Table 13)', () => {
    const dhe = {
      ...GOOD_12,
      cipher: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
      group: undefined,
      groupType: 'DH' as const,
    };
    expect(judgeBsiProfile({ ...dhe, groupBits: 3072 }).within).toBe(true);
    expect(judgeBsiProfile({ ...dhe, groupBits: 2999 }).within).toBe(false);
  });

  it('never counts what it is not told: unknown protocol, suite, group or key leave it unproven', () => {
    for (const missing of ['protocol', 'cipher', 'group', 'peerKeyType', 'peerKeyBits'] as const) {
      const verdict = judgeBsiProfile({ ...GOOD_12, [missing]: undefined });
      expect(verdict.within, missing).toBe(false);
      expect(verdict.shortfalls, missing).toEqual([]);
      expect(verdict.unchecked.length, missing).toBeGreaterThan(1);
    }
    expect(judgeBsiProfile({ ...GOOD_12, peerKeyType: 'ec', peerKeyBits: 256 }).unchecked).toContain(
      'peer_key',
    );
    expect(judgeBsiProfile({})).toMatchObject({ within: false, shortfalls: [] });
  });

  it('needs no group for a suite without an ephemeral key exchange (the suite already fails)', () => {
    const verdict = judgeBsiProfile({
      ...GOOD_12,
      cipher: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
      group: undefined,
    });
    expect(verdict.unchecked).not.toContain('group');
    expect(verdict.shortfalls.map((s) => s.aspect)).toEqual(['cipher']);
  });

  it('states the rule it applies with each shortfall, and never throws on junk', () => {
    expect(judgeBsiProfile({ ...GOOD_12, peerKeyBits: 1024 }).shortfalls[0]?.text).toBe(
      'RSA below 3000 bits (Table 13)',
    );
    expect(() => judgeBsiProfile(null as unknown as BsiFacts)).not.toThrow();
    expect(judgeBsiProfile({ protocol: 42, peerKeyBits: Number.NaN } as unknown as BsiFacts).within).toBe(
      false,
    );
  });

  it('publishes frozen lists that follow the edition: no CHACHA20, no x25519, 3000-bit RSA', () => {
    expect(Object.isFrozen(BSI_PROFILE) && Object.isFrozen(BSI_PROFILE.tls12Suites)).toBe(true);
    expect(BSI_PROFILE.tls12Suites).toHaveLength(20);
    expect(BSI_PROFILE.tls13Suites).toEqual([
      'TLS_AES_128_GCM_SHA256',
      'TLS_AES_256_GCM_SHA384',
      'TLS_AES_128_CCM_SHA256',
    ]);
    expect([...BSI_PROFILE.tls12Suites, ...BSI_PROFILE.tls13Suites].some((s) => s.includes('CHACHA20'))).toBe(
      false,
    );
    expect(BSI_PROFILE.tls12Groups).not.toContain('x25519');
    expect(BSI_PROFILE.minKeyBits).toEqual({ rsa: 3000, dsa: 3000, dh: 3000, ecc: 250 });
    expect(BSI_PROFILE.tls12Suites.every((s) => /^TLS_(EC)?DHE_/.test(s))).toBe(true);
  });
});
