import { ForcedTlsError } from '../errors/index.js';
import { isArray, isRecord, milliseconds, optionError, readShape } from '../internal/index.js';
import { isPolicy } from '../policy/index.js';
import { checkWhitelistSource } from '../whitelist/index.js';
import type { DirectTransportOptions } from './direct-transport.js';
import type { ForceTlsOptions } from './force-tls.js';
import type { RelayTransportOptions } from './relay-options.js';
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

const RESOLVER_METHODS = { resolveMx: 'function', resolve4: 'function', resolve6: 'function' } as const;

// Options every transport shares; each is read once and its type checked at construction.
const COMMON_FIELDS = {
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

function common<T>(
  input: unknown,
  fields: Readonly<Record<string, 'any' | 'function' | 'boolean' | 'object' | 'string'>>,
): T {
  const options = readShape(input, fields, { optional: false });
  requirePolicy(options['policy']);
  checkWhitelistSource(options['whitelist']);
  return options as T;
}

/**
 * The direct transport's options read once into plain data, with the types of its fields checked.
 *
 * @example
 * ```ts
 * const options = directOptions({ policy, name: 'mail.kanzlei.de' });
 * ```
 */
export function directOptions(input: unknown): DirectTransportOptions {
  const options = common<DirectTransportOptions>(input, {
    ...COMMON_FIELDS,
    resolver: 'object',
    ca: 'any',
    testing: 'boolean',
    random: 'function',
  });
  if (options.resolver !== undefined)
    readShape(options.resolver, RESOLVER_METHODS, { path: 'resolver', optional: false });
  return options;
}

// `tls` and `auth` are copied too, so that their fields are plain data when the relay reads them.
function copyObject(path: string, value: unknown): object | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) invalid(path, typeof value, 'must be an object');
  try {
    return { ...value };
  } catch {
    invalid(path, '(unreadable)', 'cannot be read');
  }
}

function checkTlsShape(tls: Record<string, unknown> | undefined): void {
  if (tls === undefined) return;
  for (const key of ['minVersion', 'maxVersion', 'servername'] as const) {
    if (tls[key] !== undefined && typeof tls[key] !== 'string')
      invalid(`tls.${key}`, typeof tls[key], 'must be a string');
  }
  if (tls['ca'] !== undefined) {
    const list: unknown[] = isArray(tls['ca']) ? tls['ca'] : [tls['ca']];
    list.forEach((pem, i) => {
      if (typeof pem !== 'string' && !(pem instanceof Uint8Array))
        invalid(`tls.ca[${i}]`, typeof pem, 'not a PEM certificate');
    });
  }
}

const RELAY_FIELDS = {
  ...COMMON_FIELDS,
  host: 'any',
  secure: 'boolean',
  auth: 'any',
  tls: 'any',
  servername: 'any',
  authMethod: 'string',
  allowUnverifiedRelay: 'boolean',
  recipientProtection: 'any',
  checkRecipient: 'any',
  // read so that refuseBypassOptions sees them
  ignoreTLS: 'any',
  opportunisticTLS: 'any',
  getSocket: 'any',
  connection: 'any',
  socket: 'any',
  secured: 'any',
  requireTLS: 'any',
  proxy: 'any',
} as const;

/**
 * The relay transport's options read once into plain data, with the types of its fields checked.
 *
 * @example
 * ```ts
 * const options = relayOptions({ policy, host: 'smtp.kanzlei.de', recipientProtection: 'requiretls' });
 * ```
 */
export function relayOptions(input: unknown): RelayTransportOptions {
  const options = common<Record<string, unknown>>(input, RELAY_FIELDS);
  const tls = copyObject('tls', options['tls']) as Record<string, unknown> | undefined;
  checkTlsShape(tls);
  const auth = copyObject('auth', options['auth']);
  return {
    ...options,
    ...(tls === undefined ? {} : { tls }),
    ...(auth === undefined ? {} : { auth }),
  } as unknown as RelayTransportOptions;
}

/**
 * `forceTls` options read once; the relay checks them further.
 *
 * @example
 * ```ts
 * const options = forceTlsOptions({ policy, recipientProtection: 'trust-relay' });
 * ```
 */
export function forceTlsOptions(input: unknown): ForceTlsOptions {
  const { host: _h, port: _p, secure: _s, auth: _a, pool: _pool, ...fields } = RELAY_FIELDS;
  const options = common<Record<string, unknown>>(input, fields);
  const tls = copyObject('tls', options['tls']);
  return { ...options, ...(tls === undefined ? {} : { tls }) } as unknown as ForceTlsOptions;
}

/**
 * The transporter's `port`: a number or a numeric string, as nodemailer takes it.
 *
 * @example
 * ```ts
 * transporterPort('587'); // 587; transporterPort({}) throws EPOLICY naming port
 * ```
 */
export function transporterPort(value: unknown): number {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port)) {
    throw new ForcedTlsError('EPOLICY', 'The transporter port must be a port number', {
      path: 'port',
      value,
    });
  }
  return port;
}

/**
 * The wrapped nodemailer transport's `name` and `options`, read once (`{}` options when absent).
 *
 * @example
 * ```ts
 * transporterInner(nodemailer.createTransport({ host: 'smtp.kanzlei.de' })); // { name: 'SMTP', options: {…} }
 * ```
 */
export function transporterInner(
  transporter: unknown,
): { name?: unknown; options: Record<string, unknown> } | undefined {
  try {
    const inner = (transporter as { transporter?: unknown } | null | undefined)?.transporter;
    if (!isRecord(inner)) return undefined;
    const options = (inner['options'] ?? {}) as unknown;
    const name = typeof inner['name'] === 'string' ? inner['name'] : undefined;
    return { name, options: isRecord(options) ? { ...options } : {} };
  } catch {
    // A getter or proxy of the caller's object threw: refused as no SMTP transporter.
    return undefined;
  }
}
