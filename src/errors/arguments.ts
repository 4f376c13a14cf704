import { types } from 'node:util';
import type { ErrorCode } from './codes.js';
import { describeValue } from './describe-value.js';
import { ForcedTlsError } from './forced-tls-error.js';
import { type FieldKind, isArray, readShape } from './shape.js';

// Positional arguments of exported functions, checked at the boundary in the words readShape uses
// for option fields: `Invalid argument <path>: must be <what> (got <value>)`.

/**
 * The error for an argument (or, with another `subject`, an option) of the wrong kind or value:
 * `EPOLICY` unless told otherwise.
 *
 * @example
 * ```ts
 * throw argumentError('selector', 7, '0 or 1'); // EPOLICY: Invalid argument selector: must be 0 or 1 (got 7)
 * ```
 */
export function argumentError(
  path: string,
  value: unknown,
  what: string,
  code: ErrorCode = 'EPOLICY',
  subject = 'argument',
): ForcedTlsError {
  return new ForcedTlsError(
    code,
    `Invalid ${subject} ${path}: must be ${what} (got ${describeValue(value)})`,
    {
      path,
      value,
    },
  );
}

/**
 * `value instanceof type`, false for a proxy (whose prototype trap could throw).
 *
 * @example
 * ```ts
 * isInstance(socket, TLSSocket); // true for a TLS socket
 * ```
 */
export function isInstance(value: unknown, type: abstract new (...args: never[]) => unknown): boolean {
  return typeof value === 'object' && value !== null && !types.isProxy(value) && value instanceof type;
}

/**
 * The argument if it is a string; else throws {@link argumentError} (`EPOLICY` unless told otherwise).
 *
 * @example
 * ```ts
 * const text = stringArgument('text', input, 'EPOSTFIX');
 * ```
 */
export function stringArgument(path: string, value: unknown, code?: ErrorCode): string {
  if (typeof value !== 'string') throw argumentError(path, value, 'a string', code);
  return value;
}

/**
 * The argument if it is a valid `Date` (not an invalid one); else throws {@link argumentError}.
 *
 * @example
 * ```ts
 * const now = dateArgument('now', input);
 * ```
 */
export function dateArgument(path: string, value: unknown, code?: ErrorCode): Date {
  if (!types.isDate(value) || Number.isNaN(Date.prototype.getTime.call(value))) {
    throw argumentError(path, value, 'a valid Date', code);
  }
  return value;
}

/**
 * The argument if it is an array of strings, as a plain copy; else throws {@link argumentError}
 * naming the item.
 *
 * @example
 * ```ts
 * const patterns = stringsArgument('patterns', input); // ['*.mandant.test']
 * ```
 */
export function stringsArgument(path: string, value: unknown, code?: ErrorCode): string[] {
  if (!isArray(value)) throw argumentError(path, value, 'an array of strings', code);
  return Array.from(value as unknown[], (item, i) => stringArgument(`${path}[${i}]`, item, code));
}

/**
 * Reads an object argument once, with the listed fields' kinds checked ({@link readShape}): a plain
 * copy of the given fields. `undefined` is refused unless `optional`.
 *
 * @example
 * ```ts
 * const r = readArgument('record', input, { usage: 'number', selector: 'number' });
 * ```
 */
export function readArgument<K extends string>(
  path: string,
  value: unknown,
  fields: Readonly<Record<K, FieldKind>>,
  options: { readonly code?: ErrorCode; readonly optional?: boolean } = {},
): { readonly [P in K]?: unknown } {
  return readShape(value, fields, {
    path,
    subject: 'argument',
    optional: options.optional ?? false,
    ...(options.code === undefined ? {} : { code: options.code }),
  });
}
