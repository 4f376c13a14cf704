import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { enforcedRequirement, tlsShortfall } from '../../src/policy/requirement.js';

const req = (level: 'dane' | 'dane-only' | 'may' | 'encrypt' | 'verify') =>
  ({ level, minVersion: 'TLSv1.2', fingerprints: [] }) as const;
const tls13 = { protocol: 'TLSv1.3', certificateVerified: false } as const;

describe('levels dane and dane-only (RFC 7672, as Postfix)', () => {
  it('are outbound levels of rules and the default, explained, and refused inbound', () => {
    const policy = createPolicy({
      outbound: { default: 'dane', rules: [{ match: 'notar.de', level: 'dane-only' }] },
    });
    expect(policy.outbound('a@notar.de').level).toBe('dane-only');
    expect(policy.outbound('a@x.de').explain()).toMatch(/dane required where the recipient publishes/);
    expect(() => createPolicy({ inbound: { rules: [{ match: 'bank.de', level: 'dane' }] } })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'inbound.rules[0].level' }),
    );
  });

  it.each([
    ['dane', { published: 'dane' }, 'encrypt', 'dane'],
    ['dane', { tlsaUnusable: true }, 'encrypt', undefined],
    ['dane', {}, 'may', undefined],
    ['dane-only', { published: 'dane' }, 'encrypt', 'dane'],
    ['dane-only', {}, 'dane-only', undefined],
    ['may', { tlsaUnusable: true }, 'encrypt', undefined],
    ['may', { published: 'dane' }, 'encrypt', 'dane'],
    ['verify', { published: 'dane' }, 'verify', 'dane'],
  ] as const)(
    '%s with %j is enforced as %s (authentication %s)',
    (level, context, enforced, authentication) => {
      const r = enforcedRequirement(req(level), context);
      expect(r.level).toBe(enforced);
      expect(r.authentication).toBe(authentication);
    },
  );

  it('dane-only without usable TLSA is never met; with them only a DANE match meets it', () => {
    expect(tlsShortfall(tls13, enforcedRequirement(req('dane-only')))).toBe('authentication_missing');
    const dane = enforcedRequirement(req('dane-only'), { published: 'dane' });
    expect(tlsShortfall({ ...tls13, proven: [] }, dane)).toBe('authentication_missing');
    expect(tlsShortfall({ ...tls13, proven: ['dane'] }, dane)).toBeUndefined();
  });

  it('a DANE-authenticated session meets verify without PKIX (DANE-EE checks no name or chain)', () => {
    const verify = enforcedRequirement(req('verify'), { published: 'dane' });
    expect(tlsShortfall({ ...tls13, proven: ['dane'] }, verify)).toBeUndefined();
    expect(tlsShortfall({ ...tls13, proven: [] }, verify)).toBe('certificate_unverified');
  });
});
