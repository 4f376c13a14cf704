import { describe, expect, it } from 'vitest';
import {
  createPolicy,
  createWhitelistIndex,
  enforcedRequirement,
  type TlsLevel,
  tlsShortfall,
} from '../../src/policy/index.js';
import type { WhitelistEntry } from '../../src/whitelist/index.js';

const req = (level: TlsLevel, extra: object = {}) => ({
  level,
  minVersion: 'TLSv1.2' as const,
  fingerprints: [] as string[],
  ...extra,
});
const TLS13 = { protocol: 'TLSv1.3', certificateVerified: true } as const;

describe('tlsShortfall at level qualified: judged from the tier', () => {
  it.each([
    [{ ...TLS13, tier: 'qualified' as const }, undefined],
    [{ ...TLS13, tier: 'encrypted' as const }, 'not_qualified'],
    [TLS13, 'not_qualified'],
    [{ protocol: null, certificateVerified: false, tier: 'qualified' as const }, 'tls_missing'],
    [{ protocol: 'TLSv1.1', certificateVerified: true, tier: 'qualified' as const }, 'tls_version_too_old'],
  ])('%j → %s', (facts, expected) => {
    expect(tlsShortfall(facts, req('qualified'))).toBe(expected);
  });

  it('asks the tier nothing at the other levels', () => {
    expect(tlsShortfall({ ...TLS13, tier: 'encrypted' }, req('verify'))).toBeUndefined();
    expect(tlsShortfall({ ...TLS13, tier: 'plaintext' }, req('encrypt'))).toBeUndefined();
    expect(
      tlsShortfall({ protocol: 'TLSv1.3', certificateVerified: false, tier: 'qualified' }, req('verify')),
    ).toBe('certificate_unverified');
  });
});

describe('tlsShortfall with a published requirement (authentication)', () => {
  it('holds only when the session proved the published authentication', () => {
    const mtaSts = req('verify', { authentication: 'mta-sts' });
    expect(tlsShortfall({ ...TLS13, proven: ['mta-sts', 'pkix'] }, mtaSts)).toBeUndefined();
    expect(tlsShortfall({ ...TLS13, proven: ['pinned', 'pkix'] }, mtaSts)).toBe('authentication_missing');
    expect(tlsShortfall(TLS13, mtaSts)).toBe('authentication_missing');
    expect(tlsShortfall({ ...TLS13, certificateVerified: false, proven: ['mta-sts'] }, mtaSts)).toBe(
      'certificate_unverified',
    );
    const dane = req('encrypt', { authentication: 'dane' });
    expect(
      tlsShortfall({ protocol: 'TLSv1.2', certificateVerified: false, proven: ['dane'] }, dane),
    ).toBeUndefined();
  });

  it('applies even at may: plaintext fails a published requirement', () => {
    expect(
      tlsShortfall({ protocol: null, certificateVerified: false }, req('may', { authentication: 'dane' })),
    ).toBe('tls_missing');
  });
});

describe('enforcedRequirement: the stricter of the local policy and what the recipient publishes', () => {
  it.each([
    ['may', 'mta-sts', 'verify'],
    ['encrypt', 'mta-sts', 'verify'],
    ['verify', 'mta-sts', 'verify'],
    ['fingerprint', 'mta-sts', 'fingerprint'],
    ['qualified', 'mta-sts', 'qualified'],
    ['may', 'dane', 'encrypt'],
    ['encrypt', 'dane', 'encrypt'],
    ['verify', 'dane', 'verify'],
    ['qualified', 'dane', 'qualified'],
  ] as const)('local %s + published %s → %s with that authentication', (local, published, level) => {
    const enforced = enforcedRequirement(req(local), { published });
    expect(enforced).toMatchObject({ level, authentication: published, raisedByPublished: local !== level });
  });

  it('changes nothing without a published requirement (the existing levels keep their meaning)', () => {
    for (const level of ['may', 'encrypt', 'verify', 'fingerprint', 'qualified'] as const) {
      const enforced = enforcedRequirement(req(level));
      expect(enforced).toMatchObject({ level, raisedByPublished: false, whitelistOverridden: false });
      expect(enforced).not.toHaveProperty('authentication');
    }
    expect(enforcedRequirement(req('qualified'), { requireTls: true })).toMatchObject({
      level: 'qualified',
      raisedByRequireTls: false,
    });
  });

  it('never lets a whitelist entry lower a published requirement', () => {
    const policy = createPolicy({ outbound: { default: 'encrypt' } });
    const entry: WhitelistEntry = {
      id: 'w1',
      direction: 'outbound',
      scope: 'domain',
      value: 'mandant.de',
      reason: 'Mandant will unverschlüsselt',
      approvedBy: 'Dr. Berater',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    const decision = policy.outbound('x@mandant.de', { whitelist: createWhitelistIndex([entry]) });
    expect(decision).toMatchObject({ level: 'may', source: 'whitelist' });
    expect(enforcedRequirement(decision, { published: 'mta-sts' })).toMatchObject({
      level: 'verify',
      authentication: 'mta-sts',
      raisedByPublished: true,
      whitelistOverridden: true,
    });
    expect(enforcedRequirement(decision, { published: 'dane' })).toMatchObject({
      level: 'encrypt',
      authentication: 'dane',
    });
    // Without a published requirement the whitelist entry still lowers the local policy, as before.
    expect(enforcedRequirement(decision)).toMatchObject({ level: 'may', whitelistOverridden: false });
  });

  it('lets testing mode lower only the local policy, never the published requirement', () => {
    expect(enforcedRequirement(req('qualified'), { testing: true }).level).toBe('may');
    expect(enforcedRequirement(req('qualified'), { testing: true, published: 'mta-sts' })).toMatchObject({
      level: 'verify',
      authentication: 'mta-sts',
    });
    expect(enforcedRequirement(req('encrypt'), { testing: true, published: 'dane' }).level).toBe('encrypt');
  });
});
