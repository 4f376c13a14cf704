import { ForcedTlsError } from '../errors/forced-tls-error.js';
import type { Timeouts } from './types.js';

/** Default session time limits (milliseconds). */
export const DEFAULT_TIMEOUTS: Timeouts = { connect: 10_000, greeting: 10_000, tls: 10_000, reply: 30_000 };

/** Throws `EPOLICY` naming the option. */
export function invalid(path: string, value: unknown, why: string): never {
  throw new ForcedTlsError('EPOLICY', `Invalid option ${path}: ${why}`, { path, value });
}

/** A positive integer option, or its default. */
export function positiveInteger(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    invalid(path, value, 'must be a positive integer');
  }
  return value;
}

/** A TCP port option, or its default. */
export function portNumber(path: string, value: unknown, fallback: number): number {
  const port = positiveInteger(path, value, fallback);
  if (port > 65535) invalid(path, value, 'must be a port number (1-65535)');
  return port;
}

/** Timeouts with defaults filled in; each must be a positive number of milliseconds. */
export function timeouts(value: Partial<Timeouts> | undefined): Timeouts {
  const result = { ...DEFAULT_TIMEOUTS };
  for (const [key, ms] of Object.entries(value ?? {})) {
    if (!(key in DEFAULT_TIMEOUTS)) invalid(`timeouts.${key}`, ms, 'unknown timeout');
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
      invalid(`timeouts.${key}`, ms, 'must be a positive number of milliseconds');
    }
    result[key as keyof Timeouts] = ms;
  }
  return result;
}

/**
 * The EHLO name. Required for delivery to MX hosts: a bare host name (nodemailer's fallback is
 * `[127.0.0.1]`) gets mail rejected or scored as spam by receiving servers.
 */
export function ehloName(path: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(value)) {
    invalid(path, value, 'must be a fully qualified host name such as mail.kanzlei.de');
  }
  return value;
}

/** Extra trusted CA certificates as a list. */
export function caList(value: string | readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : [...value];
  list.forEach((pem, i) => {
    if (typeof pem !== 'string' || !pem.includes('BEGIN CERTIFICATE'))
      invalid(`ca[${i}]`, '(pem)', 'not a PEM certificate');
  });
  return list;
}

/** The policy must be a policy object from `createPolicy`. */
export function requirePolicy(value: unknown): void {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { outbound?: unknown }).outbound !== 'function'
  ) {
    invalid('policy', typeof value, 'must be a policy from createPolicy()');
  }
}

/** A host name (letters, digits, hyphens, dots). */
export function hostName(path: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(value)) {
    invalid(path, value, 'must be a host name');
  }
  return value;
}
