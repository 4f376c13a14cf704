import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDomain } from '../../src/policy/domain-decision.js';
import { createPolicy } from '../../src/policy/policy.js';
import type { RuleConfig, TlsLevel } from '../../src/policy/types.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const SEED = 20261202;

function entry(
  scope: WhitelistEntry['scope'],
  value: string,
  extra: Partial<WhitelistEntry> = {},
): WhitelistEntry {
  return {
    id: `${scope}:${value}`,
    direction: 'outbound',
    scope,
    value,
    reason: 'client consented in writing',
    approvedBy: 'Dr. Berater',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

const policy = createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [
      { match: '*.versicherung.de', level: 'verify', whitelistable: false },
      { match: '*.a.versicherung.de', level: 'encrypt' },
      { match: 'direkt.versicherung.de', level: 'may' },
      { match: 'vorstand@a.versicherung.de', level: 'verify', minVersion: 'TLSv1.3' },
      { match: 'pinned.de', level: 'fingerprint', fingerprints: ['ab'.repeat(32)] },
    ],
  },
});

describe('decideDomain: the decision for a destination domain, without an address', () => {
  it.each([
    ['gmx.de', 'domain', 'encrypt', 'default', undefined],
    ['versicherung.de', 'domain', 'encrypt', 'default', undefined],
    ['b.versicherung.de', 'domain', 'verify', 'rule', '*.versicherung.de'],
    ['a.versicherung.de', 'domain', 'verify', 'rule', '*.versicherung.de'],
    ['z.a.versicherung.de', 'domain', 'encrypt', 'rule', '*.a.versicherung.de'],
    ['direkt.versicherung.de', 'domain', 'may', 'rule', 'direkt.versicherung.de'],
    // `.domain`: the rule for any subdomain, never the exact-domain rule of the domain itself.
    ['versicherung.de', 'subdomains', 'verify', 'rule', '*.versicherung.de'],
    ['a.versicherung.de', 'subdomains', 'encrypt', 'rule', '*.a.versicherung.de'],
    ['direkt.versicherung.de', 'subdomains', 'verify', 'rule', '*.versicherung.de'],
    ['de', 'subdomains', 'encrypt', 'default', undefined],
  ] as const)('%s (%s) → %s by %s %s', (domain, scope, level, source, pattern) => {
    const decision = decideDomain(policy, domain, { scope });
    expect(decision).toMatchObject({ domain, scope, level, source, requiredLevel: level });
    expect(decision.rule?.pattern).toBe(pattern);
    expect(decision.tlsRequired).toBe(level !== 'may');
  });

  it('never applies an address rule: the domain of vorstand@a.versicherung.de keeps its domain-level rule', () => {
    const decision = decideDomain(policy, 'a.versicherung.de');
    expect(decision.rule?.scope).toBe('subdomains');
    expect(decision.minVersion).toBe('TLSv1.2');
  });

  it('normalizes the domain (case, trailing dot, IDN) and refuses a non-host with EADDRESS', () => {
    expect(decideDomain(policy, 'B.Versicherung.DE.').domain).toBe('b.versicherung.de');
    expect(decideDomain(policy, 'Müller.de').domain).toBe('xn--mller-kva.de');
    expect(() => decideDomain(policy, 'not a host')).toThrow(expect.objectContaining({ code: 'EADDRESS' }));
    expect(() => decideDomain(policy, '192.0.2.1')).toThrow(expect.objectContaining({ code: 'EADDRESS' }));
  });

  it('carries the fingerprints of a fingerprint rule', () => {
    const decision = decideDomain(policy, 'pinned.de');
    expect(decision.level).toBe('fingerprint');
    expect(decision.fingerprints).toEqual([Array(32).fill('AB').join(':')]);
  });

  it('a domain entry lowers the domain, a subdomains entry its subdomains; address entries never apply', () => {
    const whitelist = createWhitelistIndex([
      entry('domain', 'mandant.de'),
      entry('subdomains', 'kanzlei.de'),
      entry('address', 'x@gmx.de'),
      entry('domain', 'b.versicherung.de'),
    ]);
    const at = { whitelist, now: NOW };
    expect(decideDomain(policy, 'mandant.de', at)).toMatchObject({ level: 'may', source: 'whitelist' });
    expect(decideDomain(policy, 'mandant.de', { ...at, scope: 'subdomains' }).level).toBe('encrypt');
    expect(decideDomain(policy, 'kanzlei.de', at).level).toBe('encrypt');
    expect(decideDomain(policy, 'kanzlei.de', { ...at, scope: 'subdomains' }).entry?.id).toBe(
      'subdomains:kanzlei.de',
    );
    expect(decideDomain(policy, 'mx.kanzlei.de', at).level).toBe('may');
    expect(decideDomain(policy, 'gmx.de', at).level).toBe('encrypt');
    // The rule *.versicherung.de is not whitelistable.
    expect(decideDomain(policy, 'b.versicherung.de', at)).toMatchObject({
      level: 'verify',
      whitelistable: false,
    });
  });

  it('an expired entry does not lower the requirement', () => {
    const whitelist = createWhitelistIndex([entry('domain', 'mandant.de', { expiresAt: NOW.toISOString() })]);
    expect(decideDomain(policy, 'mandant.de', { whitelist, now: NOW }).level).toBe('encrypt');
  });

  it('explains itself with the domain and, for `.domain`, "any subdomain"', () => {
    expect(decideDomain(policy, 'b.versicherung.de').explain()).toMatch(
      /^b\.versicherung\.de: verify required, TLS ≥ 1\.2 by rule \*\.versicherung\.de/,
    );
    expect(decideDomain(policy, 'versicherung.de', { scope: 'subdomains' }).explain()).toMatch(
      /^\.versicherung\.de \(any subdomain\): verify required/,
    );
  });
});

describe('decideDomain agrees with the per-address decision of an address no rule or entry names', () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
  const domain = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => `${labels.join('.')}.de`);
  const level = fc.constantFrom<TlsLevel>('may', 'encrypt', 'verify');
  const rule = fc.record({
    match: fc.oneof(
      domain,
      domain.map((d) => `*.${d}`),
      domain.map((d) => `user@${d}`),
    ),
    level,
    whitelistable: fc.boolean(),
  });
  const wl = fc.record({
    scope: fc.constantFrom<WhitelistEntry['scope']>('domain', 'subdomains', 'address'),
    value: domain,
  });

  it('for the domain itself and for a fresh subdomain of it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(rule, { maxLength: 6, selector: (r) => r.match.replace(/^\*\./, '.') }),
        fc.uniqueArray(wl, { maxLength: 4, selector: (e) => `${e.scope}:${e.value}` }),
        level,
        domain,
        (rules: RuleConfig[], entries, defaultLevel, target) => {
          const p = createPolicy({ outbound: { default: defaultLevel, rules } });
          const whitelist = createWhitelistIndex(
            entries.map((e) => entry(e.scope, e.scope === 'address' ? `user@${e.value}` : e.value)),
          );
          const at = { whitelist, now: NOW };
          const pick = (d: { level: string; source: string; rule?: { pattern: string } | undefined }) => [
            d.level,
            d.source,
            d.rule?.pattern,
          ];
          // "other" is never a local part used in a rule or an entry.
          expect(pick(decideDomain(p, target, at))).toEqual(pick(p.outbound(`other@${target}`, at)));
          // Generated labels have no hyphen, so nothing names fresh-label.<target>.
          expect(pick(decideDomain(p, target, { ...at, scope: 'subdomains' }))).toEqual(
            pick(p.outbound(`other@fresh-label.${target}`, at)),
          );
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
