/**
 * Netstrings (`<length>:<bytes>,`), the framing of Postfix's socketmap protocol. The decoder is
 * strict: a length of decimal digits without leading zeros, at most `maxLength` bytes, then `:`,
 * the payload and `,`. Anything else is a protocol error; the caller closes the connection. A
 * netstring split over any number of chunks decodes the same as one arriving whole.
 */

/** Why a byte stream is not a sequence of netstrings. */
export type NetstringProblem =
  | 'length_not_a_number'
  | 'length_leading_zero'
  | 'length_too_long'
  | 'missing_comma';

/** What {@link NetstringDecoder.push} found in the bytes so far. */
export type NetstringResult =
  | {
      /** True: the bytes so far are well-formed (a netstring may still be incomplete). */
      readonly ok: true;
      /** The payloads these bytes completed, in order; empty when none was completed. */
      readonly payloads: readonly Buffer[];
    }
  | {
      /** False: the stream is broken; the decoder stays failed and the connection must be closed. */
      readonly ok: false;
      /** What broke the framing. */
      readonly problem: NetstringProblem;
      /** The payloads completed before the problem in the same chunk (empty on later calls). */
      readonly payloads: readonly Buffer[];
    };

import { argumentError, isInstance } from '../errors/index.js';

const COLON = 0x3a;
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Encodes one netstring. The length counts bytes (UTF-8), not characters.
 *
 * @example
 * ```ts
 * encodeNetstring('OK encrypt').toString(); // '10:OK encrypt,'
 * ```
 */
export function encodeNetstring(payload: string | Buffer): Buffer {
  if (typeof payload !== 'string' && !isInstance(payload, Buffer)) {
    throw argumentError('payload', payload, 'a string or a Buffer');
  }
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from(`${body.length}:`, 'latin1'), body, Buffer.from(',', 'latin1')]);
}

/**
 * An incremental netstring decoder for one connection.
 *
 * @example
 * ```ts
 * const decoder = new NetstringDecoder(4096);
 * decoder.push(Buffer.from('16:forcedtls gm')); // { ok: true, payloads: [] }
 * decoder.push(Buffer.from('x.de,')).payloads.map(String); // ['forcedtls gmx.de']
 * ```
 */
export class NetstringDecoder {
  readonly #maxLength: number;
  readonly #maxDigits: number;
  #buffer: Buffer = Buffer.alloc(0);
  #failed: NetstringProblem | undefined;

  /** @param maxLength the largest payload accepted, in bytes (a positive integer, else `EPOLICY`). */
  constructor(maxLength: number) {
    if (!Number.isSafeInteger(maxLength) || maxLength <= 0) {
      throw argumentError('maxLength', maxLength, 'a positive integer');
    }
    this.#maxLength = maxLength;
    this.#maxDigits = String(maxLength).length;
  }

  /** Bytes received but not yet part of a complete netstring. */
  get pending(): number {
    return this.#buffer.length;
  }

  /**
   * Adds received bytes and returns every payload completed by them. After a problem the decoder
   * stays failed: the stream cannot be resynchronized, the connection must be closed.
   */
  push(chunk: Buffer): NetstringResult {
    if (!isInstance(chunk, Buffer)) throw argumentError('chunk', chunk, 'a Buffer');
    if (this.#failed !== undefined) return { ok: false, problem: this.#failed, payloads: [] };
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const payloads: Buffer[] = [];
    let at = 0;
    const buffer = this.#buffer;
    for (;;) {
      let length = 0;
      let digits = 0;
      let i = at;
      for (; i < buffer.length && buffer[i] !== COLON; i++) {
        const c = buffer[i]!;
        if (c < ZERO || c > NINE) return this.#fail('length_not_a_number', payloads);
        if (digits === 1 && length === 0) return this.#fail('length_leading_zero', payloads);
        length = length * 10 + (c - ZERO);
        digits++;
        if (digits > this.#maxDigits || length > this.#maxLength)
          return this.#fail('length_too_long', payloads);
      }
      if (i >= buffer.length) break; // the length is not complete yet
      if (digits === 0) return this.#fail('length_not_a_number', payloads);
      const end = i + 1 + length;
      if (buffer.length <= end) break; // payload or comma still to come
      if (buffer[end] !== COMMA) return this.#fail('missing_comma', payloads);
      payloads.push(buffer.subarray(i + 1, end));
      at = end + 1;
    }
    this.#buffer = at === 0 ? buffer : buffer.subarray(at);
    return { ok: true, payloads };
  }

  #fail(problem: NetstringProblem, payloads: Buffer[]): NetstringResult {
    this.#failed = problem;
    this.#buffer = Buffer.alloc(0);
    return { ok: false, problem, payloads };
  }
}
