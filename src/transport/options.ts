import { isRecord, milliseconds, optionError, positiveInteger, readShape } from '../internal/index.js';
import { isPolicy } from '../policy/index.js';
import { checkWhitelistSource } from '../whitelist/source.js';
import type { PoolLimits } from './session/session-pool.js';
import type { Timeouts } from './types.js';

export { caList, ehloName, portNumber, positiveInteger } from '../internal/index.js';

/** Default session time limits (milliseconds). */
export const DEFAULT_TIMEOUTS: Timeouts = { connect: 10_000, greeting: 10_000, tls: 10_000, reply: 30_000 };

/** Throws `EPOLICY` naming the option. */
export function invalid(path: string, value: unknown, why: string): never {
  throw optionError(path, value, why);
}

/** Timeouts with defaults filled in; each must be a positive number of milliseconds. */
export function timeouts(value: Partial<Timeouts> | undefined): Timeouts {
  const result = { ...DEFAULT_TIMEOUTS };
  if (value === undefined) return result;
  if (!isRecord(value)) invalid('timeouts', typeof value, 'must be an object');
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    invalid('timeouts', '(unreadable)', 'cannot be read');
  }
  const unknown = keys.find((key) => !(key in DEFAULT_TIMEOUTS));
  if (unknown !== undefined) invalid(`timeouts.${unknown}`, undefined, 'unknown timeout');
  const read = readShape(
    value,
    { connect: 'any', greeting: 'any', tls: 'any', reply: 'any' },
    { path: 'timeouts' },
  );
  for (const key of keys as (keyof Timeouts)[]) {
    const ms = read[key];
    if (ms === undefined) invalid(`timeouts.${key}`, ms, 'must be a positive number of milliseconds');
    result[key] = milliseconds(`timeouts.${key}`, ms, 0);
  }
  return result;
}

/** The policy must be a policy object from `createPolicy`. */
export function requirePolicy(value: unknown): void {
  if (!isPolicy(value)) invalid('policy', typeof value, 'must be a policy from createPolicy()');
}

/** A host name (letters, digits, hyphens, dots). */
export function hostName(path: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(value)) {
    invalid(path, value, 'must be a host name');
  }
  return value;
}

// Options every transport shares; each is read once and its type checked at construction.
export const COMMON_FIELDS = {
  policy: 'any',
  whitelist: 'any',
  connect: 'function',
  port: 'any',
  name: 'any',
  timeouts: 'any',
  pool: 'boolean',
  maxConnections: 'any',
  maxMessages: 'any',
  idleTimeout: 'any',
  onAttempt: 'function',
  clock: 'function',
} as const;

/** Reads a transport's options once into plain data, checking the policy and the whitelist source. */
export function readTransportOptions<T>(
  input: unknown,
  fields: Readonly<Record<string, 'any' | 'function' | 'boolean' | 'object' | 'string'>>,
): T {
  const options = readShape(input, fields, { optional: false });
  requirePolicy(options['policy']);
  checkWhitelistSource(options['whitelist']);
  return options as T;
}

/** The pool options both transports take. */
export interface PoolOptions {
  readonly pool?: boolean | undefined;
  readonly maxConnections?: number | undefined;
  readonly maxMessages?: number | undefined;
  readonly idleTimeout?: number | undefined;
  readonly maxConnectionsPerHost?: number | undefined;
}

/**
 * Pool limits with a mode's defaults: without pooling one message per connection and no idle time
 * (each connection closes after its message); `maxConnections` limits open connections either way.
 */
export function poolLimits(
  options: PoolOptions,
  defaults: { readonly pool: boolean; readonly maxConnections: number; readonly maxPerHost?: number },
): PoolLimits {
  const pooled = typeof options.pool === 'boolean' ? options.pool : defaults.pool;
  const maxConnections = positiveInteger('maxConnections', options.maxConnections, defaults.maxConnections);
  return {
    maxConnections,
    maxMessages: pooled ? positiveInteger('maxMessages', options.maxMessages, 100) : 1,
    idleTimeout: pooled ? positiveInteger('idleTimeout', options.idleTimeout, 5000) : 0,
    ...(defaults.maxPerHost === undefined
      ? {}
      : {
          maxPerKey: positiveInteger(
            'maxConnectionsPerHost',
            options.maxConnectionsPerHost,
            Math.min(defaults.maxPerHost, maxConnections),
          ),
        }),
  };
}
