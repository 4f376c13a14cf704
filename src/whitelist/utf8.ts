import { UNUSABLE } from './file-format.js';
import { storeError } from './store-error.js';

const STRICT = new TextDecoder('utf-8', { fatal: true });

/** Offset of the first byte that does not continue a valid UTF-8 sequence (for the message). */
function firstInvalid(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const size =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0) return i;
    const sequence = bytes.subarray(i, i + size);
    try {
      STRICT.decode(sequence);
    } catch {
      return i;
    }
    i += size;
  }
  return bytes.length;
}

/**
 * Decodes a whitelist file strictly: a byte sequence that is not UTF-8 throws `ESTORE` naming the
 * offset, instead of becoming U+FFFD, which the next write would store for good. A leading
 * byte-order mark is dropped.
 *
 * @example
 * ```ts
 * decodeUtf8(Buffer.from([0x7b, 0xff]), 'w.json'); // throws ESTORE: not valid UTF-8 at byte offset 1
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return STRICT.decode(bytes);
  } catch (error) {
    const at = firstInvalid(bytes);
    const byte = at < bytes.length ? ` (byte 0x${(bytes[at] as number).toString(16).padStart(2, '0')})` : '';
    throw storeError(path, `is not valid UTF-8 at byte offset ${at}${byte}; ${UNUSABLE}`, { cause: error });
  }
}
