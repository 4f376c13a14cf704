import { milliseconds, optionError, positiveInteger } from '../internal/options.js';
import type { PoolLimits } from './session/session-pool.js';
import type { Timeouts } from './types.js';

export { caList, ehloName, portNumber, positiveInteger } from '../internal/options.js';

/** Default session time limits (milliseconds). */
export const DEFAULT_TIMEOUTS: Timeouts = { connect: 10_000, greeting: 10_000, tls: 10_000, reply: 30_000 };

/** Throws `EPOLICY` naming the option. */
export function invalid(path: string, value: unknown, why: string): never {
  throw optionError(path, value, why);
}

/** Timeouts with defaults filled in; each must be a positive number of milliseconds. */
export function timeouts(value: Partial<Timeouts> | undefined): Timeouts {
  const result = { ...DEFAULT_TIMEOUTS };
  for (const [key, ms] of Object.entries(value ?? {})) {
    if (!(key in DEFAULT_TIMEOUTS)) invalid(`timeouts.${key}`, ms, 'unknown timeout');
    if (ms === undefined) invalid(`timeouts.${key}`, ms, 'must be a positive number of milliseconds');
    result[key as keyof Timeouts] = milliseconds(`timeouts.${key}`, ms, 0);
  }
  return result;
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

/** The pool options both transports take. */
export interface PoolOptions {
  readonly pool?: boolean | undefined;
  readonly maxConnections?: number | undefined;
  readonly maxMessages?: number | undefined;
  readonly idleTimeout?: number | undefined;
}

/**
 * Pool limits with a mode's defaults: without pooling one message per connection and no idle time
 * (each connection closes after its message); `maxConnections` limits open connections either way.
 */
export function poolLimits(
  options: PoolOptions,
  defaults: { readonly pool: boolean; readonly maxConnections: number },
): PoolLimits {
  const pooled = typeof options.pool === 'boolean' ? options.pool : defaults.pool;
  return {
    maxConnections: positiveInteger('maxConnections', options.maxConnections, defaults.maxConnections),
    maxMessages: pooled ? positiveInteger('maxMessages', options.maxMessages, 100) : 1,
    idleTimeout: pooled ? positiveInteger('idleTimeout', options.idleTimeout, 5000) : 0,
  };
}
