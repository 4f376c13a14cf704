import { describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { normalizeAddress, normalizeDomain, normalizePattern } from '../../src/policy/normalize.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isForcedTlsError(error) ? error.code : 'not a ForcedTlsError';
  }
  return undefined;
}

describe('normalizeDomain', () => {
  it.each([
    ['example.de', 'example.de'],
    ['EXAMPLE.De', 'example.de'],
    ['example.de.', 'example.de'],
    ['Müller-Steuer.de', 'xn--mller-steuer-dlb.de'],
    ['xn--mller-steuer-dlb.de', 'xn--mller-steuer-dlb.de'],
    ['MÜLLER-STEUER.DE', 'xn--mller-steuer-dlb.de'],
    ['a.b.c.mandant.test', 'a.b.c.mandant.test'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each([
    '',
    'de',
    'a..de',
    '-a.de',
    'a-.de',
    '192.0.2.1',
    'exa mple.de',
    'user@example.de',
    '[192.0.2.1]',
    `${'a'.repeat(64)}.de`,
    `${'a.'.repeat(200)}de`,
    'x'.repeat(2000),
  ])('refuses %j with EADDRESS', (input) => {
    expect(codeOf(() => normalizeDomain(input))).toBe('EADDRESS');
  });

  it('refuses non-strings with EADDRESS', () => {
    expect(codeOf(() => normalizeDomain(42 as unknown as string))).toBe('EADDRESS');
  });
});

describe('normalizeAddress', () => {
  it('lowercases the domain as an A-label and keeps the local part as written', () => {
    expect(normalizeAddress('Max.Muster@Müller-Steuer.DE')).toEqual({
      address: 'Max.Muster@xn--mller-steuer-dlb.de',
      local: 'Max.Muster',
      domain: 'xn--mller-steuer-dlb.de',
      key: 'max.muster@xn--mller-steuer-dlb.de',
    });
  });

  it('accepts angle brackets and surrounding space', () => {
    expect(normalizeAddress(' <info@kanzlei.de> ').address).toBe('info@kanzlei.de');
  });

  it('splits at the last @', () => {
    expect(codeOf(() => normalizeAddress('a@b@kanzlei.de'))).toBe('EADDRESS');
  });

  it.each([
    '',
    'kanzlei.de',
    '@kanzlei.de',
    'info@',
    'in fo@kanzlei.de',
    '"quoted"@kanzlei.de',
    '.info@kanzlei.de',
    'in..fo@kanzlei.de',
    'info@[192.0.2.1]',
    'info@kanzlei',
    `${'a'.repeat(65)}@kanzlei.de`,
    'info\r\n@kanzlei.de',
  ])('refuses %j with EADDRESS', (input) => {
    expect(codeOf(() => normalizeAddress(input))).toBe('EADDRESS');
  });
});

describe('normalizePattern', () => {
  it.each([
    ['example.de', { scope: 'domain', value: 'example.de' }],
    ['*.Example.de', { scope: 'subdomains', value: 'example.de' }],
    ['.example.de', { scope: 'subdomains', value: 'example.de' }],
    ['User@Example.de', { scope: 'address', value: 'user@example.de' }],
    ['*.de', { scope: 'subdomains', value: 'de' }],
  ])('%s', (input, expected) => {
    expect(normalizePattern(input)).toEqual(expected);
  });

  it('refuses a scope that contradicts the pattern', () => {
    expect(codeOf(() => normalizePattern('*.example.de', 'domain'))).toBe('EADDRESS');
    expect(codeOf(() => normalizePattern('user@example.de', 'domain'))).toBe('EADDRESS');
    expect(codeOf(() => normalizePattern('example.de', 'address'))).toBe('EADDRESS');
  });

  it('takes an explicit subdomains scope for a bare domain', () => {
    expect(normalizePattern('example.de', 'subdomains')).toEqual({
      scope: 'subdomains',
      value: 'example.de',
    });
  });
});
