/**
 * The few DER (ITU-T X.690) encodings an X.509 certificate needs. Each function returns one complete
 * tag-length-value element; nothing here parses.
 */

/** One element: tag, definite length (short or long form), content. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = [0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

/** SEQUENCE of the given elements. */
export const sequence = (...items: readonly Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));

/** SET of the given elements (callers pass them in DER order). */
export const set = (...items: readonly Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));

/** A context-specific constructed tag `[n]` around `content` (EXPLICIT tagging). */
export const explicit = (n: number, content: Uint8Array): Buffer => tlv(0xa0 + n, content);

/** BOOLEAN. */
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));

/** NULL. */
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);

/** A non-negative INTEGER from its big-endian magnitude (a leading 0x00 keeps it positive). */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const positive = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(0x02, positive.length === 0 ? Buffer.from([0]) : positive);
}

/** OBJECT IDENTIFIER from its dotted form (`2.5.29.17`). */
export function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** OCTET STRING. */
export const octetString = (content: Uint8Array): Buffer => tlv(0x04, content);

/** BIT STRING with `unusedBits` padding bits at the end of the last byte. */
export const bitString = (content: Uint8Array, unusedBits = 0): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));

/** UTF8String. */
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));

/** RFC 5280 §4.1.2.5: UTCTime for the years 1950–2049, GeneralizedTime otherwise (seconds, `Z`). */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}
