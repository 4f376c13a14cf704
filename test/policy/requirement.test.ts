import { describe, expect, it } from 'vitest';
import {
  enforcedRequirement,
  meetsMinVersion,
  tlsShortfall,
  tlsVersionRank,
} from '../../src/policy/requirement.js';

const FP = Array(32).fill('AB').join(':');
const req = (
  level: 'may' | 'encrypt' | 'verify' | 'fingerprint',
  minVersion: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.2',
) => ({
  level,
  minVersion,
  fingerprints: level === 'fingerprint' ? [FP] : [],
});

describe('tlsShortfall: the one judgement of achieved TLS against a requirement', () => {
  it.each([
    [{ protocol: null, certificateVerified: false }, req('may'), undefined],
    [{ protocol: null, certificateVerified: false }, req('encrypt'), 'tls_missing'],
    [{ protocol: 'TLSv1.1', certificateVerified: true }, req('encrypt'), 'tls_version_too_old'],
    [{ protocol: 'TLSv1.2', certificateVerified: false }, req('encrypt'), undefined],
    [{ protocol: 'TLSv1.2', certificateVerified: true }, req('encrypt', 'TLSv1.3'), 'tls_version_too_old'],
    [{ protocol: 'TLSv1.3', certificateVerified: false }, req('verify'), 'certificate_unverified'],
    [{ protocol: 'TLSv1.3', certificateVerified: true }, req('verify'), undefined],
    [
      { protocol: 'TLSv1.3', certificateVerified: false, fingerprint256: FP.toLowerCase() },
      req('fingerprint'),
      undefined,
    ],
    [
      { protocol: 'TLSv1.3', certificateVerified: true, fingerprint256: 'CD:EF' },
      req('fingerprint'),
      'fingerprint_not_pinned',
    ],
    [{ protocol: 'TLSv1.3', certificateVerified: true }, req('fingerprint'), 'fingerprint_not_pinned'],
    [{ protocol: 'SSLv3', certificateVerified: true }, req('encrypt'), 'tls_version_too_old'],
  ] as const)('%j at %j → %s', (facts, requirement, expected) => {
    expect(tlsShortfall(facts, requirement)).toBe(expected);
  });

  it('orders protocol versions and never lets an unknown one meet a minimum', () => {
    expect(tlsVersionRank('TLSv1.3')).toBeGreaterThan(tlsVersionRank('TLSv1.2'));
    expect(tlsVersionRank('bogus')).toBe(-1);
    expect(meetsMinVersion('TLSv1.3', 'TLSv1.2')).toBe(true);
    expect(meetsMinVersion('TLSv1.2', 'TLSv1.3')).toBe(false);
    expect(meetsMinVersion(undefined, 'TLSv1.2')).toBe(false);
  });
});

describe('enforcedRequirement', () => {
  it('raises may and encrypt to verify for a REQUIRETLS message (RFC 8689 §4.2.1)', () => {
    expect(enforcedRequirement(req('may'), { requireTls: true })).toMatchObject({
      level: 'verify',
      raisedByRequireTls: true,
    });
    expect(enforcedRequirement(req('encrypt'), { requireTls: true })).toMatchObject({
      level: 'verify',
      raisedByRequireTls: true,
    });
    expect(enforcedRequirement(req('fingerprint'), { requireTls: true })).toMatchObject({
      level: 'fingerprint',
      raisedByRequireTls: false,
    });
  });

  it('lowers to may in testing mode, but never a REQUIRETLS message', () => {
    expect(enforcedRequirement(req('verify'), { testing: true }).level).toBe('may');
    expect(enforcedRequirement(req('encrypt'), { testing: true, requireTls: true }).level).toBe('verify');
    expect(enforcedRequirement(req('encrypt')).level).toBe('encrypt');
  });
});
