import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeNetstring, NetstringDecoder } from '../../src/postfix/netstring.js';

const SEED = 20261202;

/** Feeds `bytes` to a decoder in the given chunk sizes and collects the outcome. */
function decodeChunked(bytes: Buffer, sizes: readonly number[], maxLength = 4096) {
  const decoder = new NetstringDecoder(maxLength);
  const payloads: string[] = [];
  let problem: string | undefined;
  let at = 0;
  let i = 0;
  while (at < bytes.length && problem === undefined) {
    const size = Math.max(1, sizes[i++ % Math.max(1, sizes.length)] ?? bytes.length);
    const result = decoder.push(bytes.subarray(at, at + size));
    payloads.push(...result.payloads.map((p) => p.toString('latin1')));
    if (!result.ok) problem = result.problem;
    at += size;
  }
  return { payloads, problem, pending: decoder.pending };
}

describe('netstring codec', () => {
  it('encodes with the byte length, not the character length', () => {
    expect(encodeNetstring('OK encrypt').toString()).toBe('10:OK encrypt,');
    expect(encodeNetstring('').toString()).toBe('0:,');
    expect(encodeNetstring('müller').toString('utf8')).toBe('7:müller,');
  });

  it('decodes several netstrings in one chunk and keeps an incomplete rest', () => {
    const decoder = new NetstringDecoder(100);
    const result = decoder.push(Buffer.from('3:abc,0:,5:hel'));
    expect(result).toMatchObject({ ok: true });
    expect(result.payloads.map(String)).toEqual(['abc', '']);
    expect(decoder.pending).toBe(5);
    expect(decoder.push(Buffer.from('lo,')).payloads.map(String)).toEqual(['hello']);
    expect(decoder.pending).toBe(0);
  });

  it.each([
    ['a letter in the length', 'x3:abc,', 'length_not_a_number'],
    ['no length at all', ':abc,', 'length_not_a_number'],
    ['a leading zero', '03:abc,', 'length_leading_zero'],
    ['a negative length', '-1:a,', 'length_not_a_number'],
    ['a space before the colon', '3 :abc,', 'length_not_a_number'],
    ['a length over the limit', '4097:', 'length_too_long'],
    ['a length with too many digits', '000000000001:', 'length_leading_zero'],
    ['a huge length', '99999999999999999999:', 'length_too_long'],
    ['no comma after the payload', '3:abcd', 'missing_comma'],
    ['a newline instead of a comma', '3:abc\n', 'missing_comma'],
  ])('refuses %s (%j) and stays failed', (_what, input, problem) => {
    const decoder = new NetstringDecoder(4096);
    const result = decoder.push(Buffer.from(input));
    expect(result).toMatchObject({ ok: false, problem });
    expect(decoder.push(Buffer.from('3:abc,'))).toEqual({ ok: false, problem, payloads: [] });
    expect(decoder.pending).toBe(0);
  });

  it('answers the valid netstrings before a malformed one', () => {
    const result = new NetstringDecoder(100).push(Buffer.from('1:a,1:b,x'));
    expect(result.payloads.map(String)).toEqual(['a', 'b']);
    expect(result.ok).toBe(false);
  });

  it('fuzz: any payloads, split at any points, decode to the same payloads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (payloads, sizes) => {
          const bytes = Buffer.concat(payloads.map((p) => encodeNetstring(Buffer.from(p))));
          const out = decodeChunked(bytes, sizes);
          expect(out.problem).toBeUndefined();
          expect(out.payloads).toEqual(payloads.map((p) => Buffer.from(p).toString('latin1')));
          expect(out.pending).toBe(0);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('fuzz: arbitrary bytes never throw, and a failure or the buffered rest stays bounded', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }),
        (bytes, sizes) => {
          const out = decodeChunked(Buffer.from(bytes), sizes, 256);
          // Never more buffered than one maximal netstring: length digits, colon, payload, comma.
          expect(out.pending).toBeLessThanOrEqual(3 + 1 + 256 + 1);
          for (const p of out.payloads) expect(p.length).toBeLessThanOrEqual(256);
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('fuzz: with one byte changed, every netstring wholly before the change still decodes as sent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 50 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (texts, position, byte) => {
          const encoded = texts.map((t) => encodeNetstring(t));
          const bytes = Buffer.concat(encoded);
          const at = position % bytes.length;
          bytes[at] = byte;
          let end = 0;
          let intact = 0;
          for (const e of encoded) {
            end += e.length;
            if (end <= at) intact++;
          }
          const out = decodeChunked(bytes, [7]);
          const sent = texts.map((t) => Buffer.from(t).toString('latin1'));
          expect(out.payloads.slice(0, intact)).toEqual(sent.slice(0, intact));
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
