import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchingMxPattern, mxMatches } from '../../src/mta-sts/index.js';

const patterns = ['mx1.mandant.test', '*.mx.mandant.test'];

describe('mxMatches (RFC 8461 §4.1)', () => {
  it.each([
    ['mx1.mandant.test', true],
    ['MX1.Mandant.Test.', true],
    ['a.mx.mandant.test', true],
    ['A.MX.mandant.test', true],
    ['a.b.mx.mandant.test', false],
    ['mx.mandant.test', false],
    ['mx2.mandant.test', false],
    ['xmx.mandant.test', false],
    ['amx.mandant.test', false],
    ['mx1.mandant.test.evil.test', false],
    ['evil.test', false],
    ['.mx.mandant.test', false],
    ['', false],
  ])('%j → %s', (host, expected) => {
    expect(mxMatches(host, patterns)).toBe(expected);
  });

  it('the RFC example: *.example.com matches mail.example.com, not example.com or foo.bar.example.com', () => {
    expect(mxMatches('mail.example.com', ['*.example.com'])).toBe(true);
    expect(mxMatches('example.com', ['*.example.com'])).toBe(false);
    expect(mxMatches('foo.bar.example.com', ['*.example.com'])).toBe(false);
  });

  it('names the first matching pattern', () => {
    expect(
      matchingMxPattern('a.mx.mandant.test', ['mx1.mandant.test', '*.mx.mandant.test', 'a.mx.mandant.test']),
    ).toBe('*.mx.mandant.test');
    expect(matchingMxPattern('nomatch.test', patterns)).toBeUndefined();
    expect(mxMatches('mx1.mandant.test', [])).toBe(false);
  });

  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));

  it('property: *.<d> matches exactly the hosts with one more label than <d>', () => {
    fc.assert(
      fc.property(domain, fc.array(label, { minLength: 0, maxLength: 3 }), (base, extra) => {
        const host = [...extra, base].join('.');
        expect(mxMatches(host, [`*.${base}`])).toBe(extra.length === 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: an exact pattern matches only the same name, ignoring case and a trailing dot', () => {
    fc.assert(
      fc.property(domain, domain, fc.boolean(), (a, b, dot) => {
        const host = `${a.toUpperCase()}${dot ? '.' : ''}`;
        expect(mxMatches(host, [b])).toBe(a === b);
      }),
      { numRuns: 2000 },
    );
  });
});
