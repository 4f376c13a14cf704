import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNextHop } from '../../src/postfix/next-hop.js';
import { compileNextHops } from '../../src/postfix/next-hop-map.js';

describe('parseNextHop: the keys Postfix sends to smtp_tls_policy_maps', () => {
  it.each([
    ['example.de', { kind: 'domain', domain: 'example.de', canonical: 'example.de' }],
    ['Mail.Example.DE', { kind: 'domain', domain: 'mail.example.de', canonical: 'mail.example.de' }],
    ['example.de.', { kind: 'domain', domain: 'example.de' }],
    ['Müller-Steuer.de', { kind: 'domain', domain: 'xn--mller-steuer-dlb.de' }],
    ['xn--mller-steuer-dlb.de', { kind: 'domain', domain: 'xn--mller-steuer-dlb.de' }],
    ['example.de:2525', { kind: 'domain', domain: 'example.de', port: '2525', canonical: 'example.de:2525' }],
    ['.b.example.de', { kind: 'subdomains', domain: 'b.example.de', canonical: '.b.example.de' }],
    ['.DE', { kind: 'subdomains', domain: 'de', canonical: '.de' }],
    ['[mx.example.de]', { kind: 'host', host: 'mx.example.de', canonical: '[mx.example.de]' }],
    [
      '[Relay.Example.de]:587',
      { kind: 'host', host: 'relay.example.de', port: '587', canonical: '[relay.example.de]:587' },
    ],
    ['[localhost]:smtp', { kind: 'host', host: 'localhost', port: 'smtp', canonical: '[localhost]:smtp' }],
    ['localhost', { kind: 'host', host: 'localhost', canonical: 'localhost' }],
    [
      '[127.0.0.1]:2525',
      { kind: 'address', address: '127.0.0.1', port: '2525', canonical: '[127.0.0.1]:2525' },
    ],
    ['[192.0.2.1]', { kind: 'address', address: '192.0.2.1', canonical: '[192.0.2.1]' }],
    [
      '[IPv6:2001:DB8::1]:25',
      { kind: 'address', address: '2001:db8::1', canonical: '[ipv6:2001:db8::1]:25' },
    ],
    ['[2001:db8::1]', { kind: 'address', address: '2001:db8::1', canonical: '[ipv6:2001:db8::1]' }],
  ])('%s', (key, expected) => {
    expect(parseNextHop(key)).toMatchObject(expected);
  });

  it('keeps [h], [h]:25 and [h]:smtp apart, as Postfix does', () => {
    const keys = ['[mx.example.de]', '[mx.example.de]:25', '[mx.example.de]:smtp'].map(
      (k) => (parseNextHop(k) as { canonical: string }).canonical,
    );
    expect(new Set(keys).size).toBe(3);
  });

  it.each([
    ['', 'empty key'],
    ['exa mple.de', 'whitespace or control characters'],
    ['example.de\n', 'whitespace or control characters'],
    ['example..de', 'not a valid domain'],
    ['-bad.de', 'not a valid domain'],
    ['..example.de', 'not a valid parent domain'],
    ['.', 'not a valid parent domain'],
    ['[mx.example.de', 'no closing bracket'],
    ['[mx.example.de]x', 'text after the closing bracket'],
    ['[mx.example.de]:', 'not a valid port'],
    ['[mx.example.de]:99999', 'not a valid port'],
    ['[mx.example.de]:0', 'not a valid port'],
    ['example.de:', 'not a valid port'],
    ['[]', 'not a host name or IP address'],
    ['[bad_name]', 'not a host name or IP address'],
    ['192.0.2.1', 'an IP address needs brackets'],
    ['unix:/var/run/x', 'not a valid port'],
    ['x'.repeat(1025), 'key too long'],
  ])('%j is invalid: %s', (key, reason) => {
    expect(parseNextHop(key)).toEqual({ kind: 'invalid', reason });
  });

  it('fuzz: never throws, and a canonical key parses to itself', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.domain(),
          fc.domain().map((d) => `.${d}`),
          fc.tuple(fc.domain(), fc.integer({ min: 1, max: 65535 })).map(([d, p]) => `[${d}]:${p}`),
          fc.ipV4().map((ip) => `[${ip}]`),
          fc.ipV6().map((ip) => `[ipv6:${ip}]:25`),
        ),
        (key) => {
          const hop = parseNextHop(key);
          if (hop.kind === 'invalid') return;
          expect(parseNextHop(hop.canonical)).toEqual(hop);
        },
      ),
      { seed: 20261202, numRuns: 5000 },
    );
  });
});

describe('nextHops mappings', () => {
  it('are keyed by canonical next-hop and map to a normalized domain', () => {
    const map = compileNextHops({ '[LOCALHOST]:2525': 'Partner.DE', 'relay.example.de': 'müller.de' });
    expect([...map]).toEqual([
      ['[localhost]:2525', 'partner.de'],
      ['relay.example.de', 'xn--mller-kva.de'],
    ]);
  });

  it('refuse a key that is no next-hop and a value that is no domain, with EPOLICY naming it', () => {
    expect(() => compileNextHops({ 'no hop': 'a.de' })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'nextHops.no hop' }),
    );
    expect(() => compileNextHops({ '.example.de': 'a.de' })).toThrow(
      expect.objectContaining({ code: 'EPOLICY' }),
    );
    expect(() => compileNextHops({ '[10.0.0.5]:25': 'not a domain' })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'nextHops.[10.0.0.5]:25', value: 'not a domain' }),
    );
  });
});
