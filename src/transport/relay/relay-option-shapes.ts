import { ForcedTlsError } from '../../errors/index.js';
import { isArray, isRecord } from '../../internal/index.js';
import { COMMON_FIELDS, invalid, readTransportOptions } from '../options.js';
import type { ForceTlsOptions, RelayTransportOptions } from './relay-options.js';

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
  bsiProfile: 'boolean',
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
  const options = readTransportOptions<Record<string, unknown>>(input, RELAY_FIELDS);
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
  const options = readTransportOptions<Record<string, unknown>>(input, fields);
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
