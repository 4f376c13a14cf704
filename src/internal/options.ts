import { isIPv4, isIPv6 } from 'node:net';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import { isArray } from '../errors/shape.js';

/**
 * The `EPOLICY` error for a bad option, naming it: `Invalid <subject> <path>: <why>`. `subject` tells
 * whose option it is (`option`, `probe option`, `prober option`).
 */
export function optionError(path: string, value: unknown, why: string, subject = 'option'): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid ${subject} ${path}: ${why}`, { path, value });
}

/** A positive integer option, or its default. */
export function positiveInteger(path: string, value: unknown, fallback: number, subject?: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw optionError(path, value, 'must be a positive integer', subject);
  }
  return value;
}

/** A TCP port option (1–65535), or its default. */
export function portNumber(path: string, value: unknown, fallback: number, subject?: string): number {
  const port = positiveInteger(path, value, fallback, subject);
  if (port > 65535) throw optionError(path, value, 'must be a port number (1-65535)', subject);
  return port;
}

/** A time limit: a positive, finite number of milliseconds, or its default. */
export function milliseconds(path: string, value: unknown, fallback: number, subject?: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw optionError(path, value, 'must be a positive number of milliseconds', subject);
  }
  return value;
}

/** Extra trusted CA certificates as a list; each must be a PEM certificate. */
export function caList(
  value: string | readonly string[] | undefined,
  path = 'ca',
  subject?: string,
): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && !isArray(value)) {
    throw optionError(path, typeof value, 'must be a PEM certificate or a list of them', subject);
  }
  if (typeof value !== 'string' && value.length > 1000) {
    throw optionError(path, value.length, 'must list at most 1000 certificates', subject);
  }
  const list: unknown[] = typeof value === 'string' ? [value] : Array.from(value as readonly unknown[]);
  list.forEach((pem, i) => {
    if (typeof pem !== 'string' || !pem.includes('BEGIN CERTIFICATE'))
      throw optionError(`${path}[${i}]`, '(pem)', 'not a PEM certificate', subject);
  });
  return list as string[];
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * True for a name a client may send with EHLO (RFC 5321 §4.1.4): a fully qualified domain name (at
 * least two labels, the last not all digits) or an address literal, `[192.0.2.1]` or `[IPv6:2001:db8::1]`.
 * A bare address (`192.0.2.1`), a single label (`localhost`) or a trailing dot is not.
 */
export function isEhloName(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const literal = /^\[(.*)\]$/.exec(value)?.[1];
  if (literal !== undefined) {
    const v6 = /^ipv6:(.*)$/i.exec(literal)?.[1];
    return v6 === undefined ? isIPv4(literal) : isIPv6(v6);
  }
  const labels = value.split('.');
  return (
    value.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => LABEL.test(l)) &&
    !/^[0-9]+$/.test(labels[labels.length - 1] ?? '')
  );
}

/**
 * The EHLO name option: a fully qualified domain name or an address literal (see {@link isEhloName}).
 *
 * @example
 * ```ts
 * ehloName('name', 'mail.kanzlei.de'); // ok; '192.0.2.1' throws, '[192.0.2.1]' is ok
 * ```
 */
export function ehloName(path: string, value: unknown, subject?: string): string {
  if (!isEhloName(value)) {
    const why =
      'must be a fully qualified domain name such as mail.kanzlei.de or an address literal such as [192.0.2.1]';
    throw optionError(path, value, why, subject);
  }
  return value;
}
