import {
  argumentError,
  type FieldKind,
  ForcedTlsError,
  isArray,
  readArgument,
  readShape,
  stringsArgument,
} from '../errors/index.js';
import { isPolicy, type Policy, TLS_LEVELS, TLS_VERSIONS, type TlsRequirement } from '../policy/index.js';
import { checkWhitelistSource } from '../whitelist/index.js';

// The Postfix helpers check their arguments at the boundary: a wrong type is EPOLICY naming the
// option or argument, never a TypeError from inside a table, a server or a reply writer.

/**
 * Reads a factory's options once (each field in its own try) and checks the fields every factory
 * shares: `whitelist` a whitelist source, `clock` a function.
 *
 * @example
 * ```ts
 * const o = readOptions(options, { policy: 'any', clock: 'any' }, 'TLS policy table option');
 * ```
 */
export function readOptions<K extends string>(
  input: unknown,
  fields: Readonly<Record<K, FieldKind>>,
  subject: string,
): { readonly [P in K]?: unknown } {
  const o = readShape(input, fields, { optional: false, subject }) as Record<string, unknown>;
  checkWhitelistSource(o['whitelist']);
  if (o['clock'] !== undefined && typeof o['clock'] !== 'function') {
    throw argumentError('clock', o['clock'], 'a function returning a Date', 'EPOLICY', subject);
  }
  return o as { readonly [P in K]?: unknown };
}

/**
 * The entries of a record option, read in one try: a proxy or getter that throws is `EPOLICY`.
 *
 * @example
 * ```ts
 * recordOption('maps', { forcedtls: table }); // [['forcedtls', table]]
 * ```
 */
export function recordOption(path: string, value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || isArray(value)) {
    throw argumentError(path, value, 'an object', 'EPOLICY', 'option');
  }
  try {
    return Object.entries(value);
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', `Invalid option ${path}: it cannot be read`, { path, cause: error });
  }
}

/**
 * A policy argument: a `Policy` from `createPolicy`.
 *
 * @example
 * ```ts
 * policyArgument('policy', createPolicy({}));
 * ```
 */
export function policyArgument(path: string, value: unknown): Policy {
  if (!isPolicy(value)) throw argumentError(path, value, 'a Policy from createPolicy()');
  return value;
}

/**
 * A TLS requirement argument (`level`, `minVersion`, `fingerprints`), read once into a plain copy.
 *
 * @example
 * ```ts
 * requirementArgument('requirement', { level: 'verify', minVersion: 'TLSv1.3', fingerprints: [] });
 * ```
 */
export function requirementArgument(path: string, value: unknown): TlsRequirement {
  const r = readArgument(path, value, { level: TLS_LEVELS, minVersion: TLS_VERSIONS, fingerprints: 'array' });
  if (r.level === undefined) throw argumentError(`${path}.level`, undefined, TLS_LEVELS.join(', '));
  if (r.minVersion === undefined) {
    throw argumentError(`${path}.minVersion`, undefined, TLS_VERSIONS.join(', '));
  }
  const fingerprints = stringsArgument(`${path}.fingerprints`, r.fingerprints ?? []);
  return { ...r, fingerprints } as TlsRequirement;
}
