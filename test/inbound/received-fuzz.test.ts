import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeReceived } from '../../src/inbound/analyze-received.js';

const TRUSTED = ['mx1.kanzlei.test', '10.0.0.5'];
// Pieces of real Received syntax, so random input reaches deep into the parser.
const PIECES = [
  'from ',
  'by ',
  'with ',
  'id ',
  'for ',
  'via ',
  ' ',
  '\t',
  '\r\n ',
  '\r\n',
  '(',
  ')',
  '((',
  '))',
  ';',
  '"',
  '\\',
  '[',
  ']',
  '<',
  '>',
  '@',
  ':',
  '=',
  ',',
  'mx1.kanzlei.test',
  '10.0.0.5',
  '[10.0.0.5]',
  '203.0.113.9',
  'ESMTPS',
  'esmtp',
  'LMTP',
  'using TLSv1.3 with cipher X',
  'version=TLS1_2, cipher=Y',
  'TLS1.3',
  'tls',
  'TLSv1.2:Z',
  'Received: ',
  'helo=',
  'ü',
  '\u0000',
];
const junk = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((parts) => parts.join(''));

const BOUNDARY =
  'Received: from mx1.kanzlei.test ([10.0.0.5]) by mx1.kanzlei.test with LMTP id A; d\r\n' +
  'Received: from a.test (a.test [203.0.113.9]) by mx1.kanzlei.test with ESMTP id B; d\r\n';

describe('analyzeReceived under hostile input', () => {
  it('returns a result for any input and never reports TLS without trusted evidence', () => {
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 8 }), (values) => {
        const text = values.map((v) => `Received: ${v}`).join('\r\n');
        const result = analyzeReceived(text, { trustedHosts: TRUSTED });
        if (result.tls === 'tls') {
          expect(result.boundary?.trusted).toBe(true);
          expect(result.boundary?.fromTrusted).toBe(false);
          expect(result.boundary?.evidence).not.toBe('none');
        }
        for (const hop of result.hops) if (hop.evidence === 'none') expect(hop.tls).toBe('unknown');
      }),
      { seed: 4711, numRuns: 400 },
    );
  });

  it('headers below the boundary never change the verdict', () => {
    const base = analyzeReceived(BOUNDARY, { trustedHosts: TRUSTED });
    expect(base).toMatchObject({ status: 'boundary_found', tls: 'plaintext' });
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 6 }), (values) => {
        const text =
          BOUNDARY + values.map((v) => `Received: ${v.replace(/\r\n(?![ \t])/g, '\r\n ')}`).join('\r\n');
        const result = analyzeReceived(text, { trustedHosts: TRUSTED });
        expect([result.status, result.tls, result.boundary?.index]).toEqual([
          'boundary_found',
          'plaintext',
          1,
        ]);
      }),
      { seed: 1848, numRuns: 300 },
    );
  });

  const big = 100_000;
  it.each([
    ['spaces', `Received: from${' '.repeat(big)}x by mx1.kanzlei.test with ESMTP; d`],
    ['open parentheses', `Received: from a ${'('.repeat(big)} by mx1.kanzlei.test`],
    ['close parentheses', `Received: from a ${')'.repeat(big)} by mx1.kanzlei.test`],
    ['nested comments', `Received: from a ${'(a '.repeat(big / 3)}${')'.repeat(big / 3)} by x`],
    ['quotes and backslashes', `Received: from "${'\\"'.repeat(big)} by mx1.kanzlei.test`],
    ['keywords', `Received: ${'by '.repeat(big / 3)}`],
    [
      'a TLS comment prefix',
      `Received: from a (using TLSv1.3 with cipher ${'A'.repeat(big)}) by mx1.kanzlei.test; d`,
    ],
    ['folded lines', `Received: from a\r\n${' x\r\n'.repeat(big / 4)}`],
    [
      'many headers',
      'Received: from a ([203.0.113.9]) by mx1.kanzlei.test with ESMTP; d\r\n'.repeat(big / 10),
    ],
    ['colons without names', ':'.repeat(big)],
    ['open angle brackets', `Received: from a ${'<'.repeat(big)} by mx1.kanzlei.test`],
    ['addresses in comments', `Received: from a ${'(<"'.repeat(big / 3)} by mx1.kanzlei.test`],
    ['quoted closing parentheses', `Received: from a (${'")'.repeat(big / 2)} by mx1.kanzlei.test`],
    ['nested address comments', `Received: from a ${'(x <a> '.repeat(big / 7)} by mx1.kanzlei.test`],
  ])('pathological %s: a result within the time bound', (_name, text) => {
    const started = performance.now();
    // maxHeaderLength raised so that the whole value is parsed, not set aside as too long.
    const result = analyzeReceived(text, { trustedHosts: TRUSTED, maxHeaderLength: 1_000_000 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.tls).not.toBe('tls');
  });

  it('a huge header block is cut at the size limit and says so', () => {
    const line = 'Received: from a ([203.0.113.9]) by mx1.kanzlei.test with ESMTP; d\r\n';
    const result = analyzeReceived(line.repeat(200_000), { trustedHosts: TRUSTED });
    expect(result.truncated).toBe(true);
    expect(result.hops.length).toBeLessThanOrEqual(100);
    expect(result).toMatchObject({ status: 'boundary_found', tls: 'plaintext' });
    const long = analyzeReceived(`Received: from a by mx1.kanzlei.test with ESMTPS ${'x'.repeat(20_000)}`, {
      trustedHosts: TRUSTED,
    });
    expect(long.hops[0]).toMatchObject({ problem: 'too_long', tls: 'unknown', trusted: false });
  });
});
