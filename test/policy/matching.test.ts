import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function entry(partial: Partial<WhitelistEntry> & Pick<WhitelistEntry, 'scope' | 'value'>): WhitelistEntry {
  return {
    id: `${partial.scope}:${partial.value}`,
    direction: 'outbound',
    reason: 'client consented in writing',
    approvedBy: 'Dr. Berater',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...partial,
  };
}

const policy = createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [
      { match: '*.versicherung.de', level: 'verify', whitelistable: false, note: 'contract §4' },
      { match: '*.a.versicherung.de', level: 'encrypt' },
      { match: 'direkt.versicherung.de', level: 'may' },
      { match: 'vorstand@a.versicherung.de', level: 'verify', minVersion: 'TLSv1.3' },
      { match: 'legacy-partner.de', level: 'may' },
    ],
  },
});

describe('outbound precedence: address > exact domain > longest subdomain rule > default', () => {
  it.each([
    ['mandant@gmx.de', 'encrypt', 'default', undefined],
    ['x@versicherung.de', 'encrypt', 'default', undefined],
    ['x@b.versicherung.de', 'verify', 'rule', '*.versicherung.de'],
    ['x@deep.er.b.versicherung.de', 'verify', 'rule', '*.versicherung.de'],
    ['x@a.versicherung.de', 'verify', 'rule', '*.versicherung.de'],
    ['x@z.a.versicherung.de', 'encrypt', 'rule', '*.a.versicherung.de'],
    ['x@direkt.versicherung.de', 'may', 'rule', 'direkt.versicherung.de'],
    ['Vorstand@A.Versicherung.de', 'verify', 'rule', 'vorstand@a.versicherung.de'],
    ['x@legacy-partner.de', 'may', 'rule', 'legacy-partner.de'],
    ['x@sub.legacy-partner.de', 'encrypt', 'default', undefined],
  ])('%s → %s by %s %s', (address, level, source, pattern) => {
    const decision = policy.outbound(address);
    expect(decision.level).toBe(level);
    expect(decision.source).toBe(source);
    expect(decision.rule?.pattern).toBe(pattern);
    expect(decision.tlsRequired).toBe(level !== 'may');
  });

  it('applies a stricter per-rule minimum TLS version', () => {
    expect(policy.outbound('vorstand@a.versicherung.de').minVersion).toBe('TLSv1.3');
    expect(policy.outbound('mandant@gmx.de').minVersion).toBe('TLSv1.2');
  });

  it('gives unlisted recipients may when the default is may (per-domain mode)', () => {
    const perDomain = createPolicy({
      outbound: { default: 'may', rules: [{ match: 'kanzlei.de', level: 'encrypt' }] },
    });
    expect(perDomain.outbound('x@kanzlei.de').level).toBe('encrypt');
    expect(perDomain.outbound('x@gmx.de').level).toBe('may');
    expect(perDomain.outbound('x@gmx.de').source).toBe('default');
  });

  it('treats IDN and punycode spellings of a rule and a recipient as the same domain', () => {
    const idn = createPolicy({
      outbound: { default: 'may', rules: [{ match: 'Müller-Steuer.de', level: 'verify' }] },
    });
    expect(idn.outbound('info@xn--mller-steuer-dlb.de').level).toBe('verify');
    expect(idn.outbound('info@MÜLLER-steuer.de').level).toBe('verify');
  });
});

describe('whitelist entries', () => {
  it('lower a whitelistable default to may and name the entry', () => {
    const whitelist = createWhitelistIndex([entry({ scope: 'domain', value: 'mandant-gmbh.de' })]);
    const decision = policy.outbound('info@Mandant-GmbH.de', { whitelist, now: NOW });
    expect(decision).toMatchObject({
      level: 'may',
      source: 'whitelist',
      requiredLevel: 'encrypt',
      tlsRequired: false,
    });
    expect(decision.entry?.id).toBe('domain:mandant-gmbh.de');
    expect(decision.explain()).toContain('whitelisted by domain entry mandant-gmbh.de');
  });

  it('never lower a rule marked not whitelistable', () => {
    const whitelist = createWhitelistIndex([entry({ scope: 'address', value: 'x@b.versicherung.de' })]);
    const decision = policy.outbound('x@b.versicherung.de', { whitelist, now: NOW });
    expect(decision).toMatchObject({ level: 'verify', source: 'rule', whitelistable: false });
    expect(decision.explain()).toContain('not whitelistable');
  });

  it('lower a rule only when at least as specific as the rule', () => {
    const strict = createPolicy({
      outbound: {
        default: 'may',
        rules: [
          { match: 'x@kanzlei.de', level: 'encrypt' },
          { match: '*.sub.kanzlei.de', level: 'encrypt' },
        ],
      },
    });
    const domainEntry = createWhitelistIndex([entry({ scope: 'domain', value: 'kanzlei.de' })]);
    expect(strict.outbound('x@kanzlei.de', { whitelist: domainEntry, now: NOW }).level).toBe('encrypt');
    const addressEntry = createWhitelistIndex([entry({ scope: 'address', value: 'x@kanzlei.de' })]);
    expect(strict.outbound('X@kanzlei.de', { whitelist: addressEntry, now: NOW }).level).toBe('may');
    const broad = createWhitelistIndex([entry({ scope: 'subdomains', value: 'kanzlei.de' })]);
    expect(strict.outbound('y@a.sub.kanzlei.de', { whitelist: broad, now: NOW }).level).toBe('encrypt');
    const narrow = createWhitelistIndex([entry({ scope: 'subdomains', value: 'sub.kanzlei.de' })]);
    expect(strict.outbound('y@a.sub.kanzlei.de', { whitelist: narrow, now: NOW }).level).toBe('may');
  });

  it('match subdomains at any depth but not the domain itself', () => {
    const whitelist = createWhitelistIndex([entry({ scope: 'subdomains', value: 'mandant.de' })]);
    expect(policy.outbound('x@a.b.mandant.de', { whitelist, now: NOW }).level).toBe('may');
    expect(policy.outbound('x@mandant.de', { whitelist, now: NOW }).level).toBe('encrypt');
    expect(policy.outbound('x@othermandant.de', { whitelist, now: NOW }).level).toBe('encrypt');
  });

  it('are ignored once expired', () => {
    const whitelist = createWhitelistIndex([
      entry({ scope: 'domain', value: 'mandant.de', expiresAt: '2026-11-27T12:00:00.000Z' }),
    ]);
    expect(policy.outbound('x@mandant.de', { whitelist, now: new Date('2026-11-27T11:59:59Z') }).level).toBe(
      'may',
    );
    expect(policy.outbound('x@mandant.de', { whitelist, now: NOW }).level).toBe('encrypt');
  });

  it('of the other direction do not apply', () => {
    const whitelist = createWhitelistIndex([
      entry({ scope: 'domain', value: 'mandant.de', direction: 'inbound' }),
    ]);
    expect(policy.outbound('x@mandant.de', { whitelist, now: NOW }).level).toBe('encrypt');
  });
});

describe('inbound', () => {
  const inbound = createPolicy({
    inbound: {
      rules: [
        { match: 'bank.de', level: 'encrypt' },
        { match: '*.versicherer.de', level: 'encrypt', minVersion: 'TLSv1.3' },
      ],
    },
  });

  it('requires TLS for listed senders only', () => {
    expect(inbound.inbound('x@BANK.de').level).toBe('encrypt');
    expect(inbound.inbound('x@a.versicherer.de').minVersion).toBe('TLSv1.3');
    expect(inbound.inbound('x@gmx.de').level).toBe('may');
  });

  it('applies only the default to the null sender', () => {
    expect(inbound.inbound('').source).toBe('default');
    expect(inbound.inbound('<>').level).toBe('may');
    expect(inbound.inbound('<>').sender).toBe('');
  });

  it('honours inbound whitelist entries', () => {
    const whitelist = createWhitelistIndex([
      entry({ scope: 'address', value: 'scanner@bank.de', direction: 'inbound' }),
    ]);
    const decision = inbound.inbound('Scanner@bank.de', { whitelist, now: NOW });
    expect(decision).toMatchObject({ level: 'may', source: 'whitelist', direction: 'inbound' });
  });
});

describe('decisions are data', () => {
  it('serialize without functions and explain on demand', () => {
    const decision = policy.outbound('x@b.versicherung.de');
    const json = JSON.parse(JSON.stringify(decision));
    expect(json).toMatchObject({ direction: 'outbound', recipient: 'x@b.versicherung.de', level: 'verify' });
    expect(json.explain).toBeUndefined();
    expect(decision.explain()).toBe(
      'x@b.versicherung.de: verify required, TLS ≥ 1.2 by rule *.versicherung.de (outbound.rules[0], "contract §4"); not whitelistable',
    );
  });
});

describe('policy.defaults', () => {
  it('exposes each direction’s validated defaults so nobody re-derives them', () => {
    expect(createPolicy({}).defaults).toEqual({
      outbound: { level: 'encrypt', minVersion: 'TLSv1.2', whitelistable: true },
      inbound: { level: 'may', minVersion: 'TLSv1.2', whitelistable: true },
    });
    expect(
      createPolicy({ outbound: { default: 'may', minVersion: 'TLSv1.3' } }).defaults.outbound.minVersion,
    ).toBe('TLSv1.3');
  });
});
