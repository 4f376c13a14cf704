import { types } from 'node:util';
import { ERROR_CODES, type ErrorCode, isErrorCode } from './codes.js';
import { describeValue, jsonSafe } from './describe-value.js';
import type { RecipientFailure } from './recipient-failure.js';

// A registered symbol is shared by every copy of this module (ESM and CJS builds loaded side by
// side), so the guard below works where `instanceof` does not.
const BRAND = Symbol.for('forced-tls.error');

/** Options for {@link ForcedTlsError}. */
export interface ForcedTlsErrorOptions {
  /** The error that led to this one (the standard `Error.cause`). */
  readonly cause?: unknown;
  /** For configuration errors: the field path, e.g. `outbound.rules[2].match`. */
  readonly path?: string;
  /** For configuration and input errors: the offending value. */
  readonly value?: unknown;
  /** For delivery errors: every recipient that was not delivered. */
  readonly recipients?: readonly RecipientFailure[];
  /** Overrides the code's default from {@link ERROR_CODES}. */
  readonly transient?: boolean;
}

/**
 * The one error class of forced-tls. Branch on {@link ForcedTlsError.code}.
 *
 * @example
 * ```ts
 * try {
 *   await transporter.sendMail(message);
 * } catch (error) {
 *   if (isForcedTlsError(error) && error.code === 'ETLSREQUIRED') {
 *     for (const r of error.recipients) console.log(r.recipient, r.code, r.mayWhitelist);
 *   }
 * }
 * ```
 */
export class ForcedTlsError extends Error {
  /** Always `ForcedTlsError`. */
  override readonly name = 'ForcedTlsError' as const;
  /** What went wrong, from {@link ERROR_CODES}: branch on this, never on the message. */
  readonly code: ErrorCode;
  /** For configuration and input errors: the field path, e.g. `outbound.rules[2].match`. */
  readonly path?: string;
  /** For configuration and input errors: the offending value. */
  readonly value?: unknown;
  /** For delivery errors: every recipient that was not delivered, with why; empty otherwise. */
  readonly recipients: readonly RecipientFailure[];
  /** Whether retrying later may succeed (the code's default unless the failures say otherwise). */
  readonly transient: boolean;

  /**
   * Throws `EPOLICY` (path `code`, `options` or the option's name) when `code` is not in
   * `ERROR_CODES` or `options` is not an object of the documented shape; a non-string `message` is
   * shown with `describeValue`.
   */
  constructor(code: ErrorCode, message: string, options: ForcedTlsErrorOptions = {}) {
    const o = checkedOptions(code, options);
    super(
      typeof message === 'string' ? message : message === undefined ? '' : describeValue(message),
      o.cause === undefined ? undefined : { cause: o.cause },
    );
    this.code = code;
    if (o.path !== undefined) this.path = o.path;
    if ('value' in o) this.value = o.value;
    this.recipients = Object.freeze([...(o.recipients ?? [])]);
    this.transient = o.transient ?? ERROR_CODES[code].transient;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * Loggable plain data (no stack, no secrets) that `JSON.stringify` always accepts: `value` and a
   * non-Error `cause` pass through `jsonSafe` (a BigInt becomes `'[bigint 1n]'`, long strings are
   * cut), an Error `cause` becomes `{ name, message }`.
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      transient: this.transient,
    };
    if (this.path !== undefined) json['path'] = this.path;
    if ('value' in this) json['value'] = this.value === undefined ? undefined : jsonSafe(this.value);
    if (this.recipients.length > 0) json['recipients'] = serializable(this.recipients);
    if (this.cause !== undefined) json['cause'] = jsonSafe(this.cause);
    return json;
  }
}

const OPTION_TYPES = { path: 'string', transient: 'boolean' } as const;

function refuse(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid ForcedTlsError ${path}: ${why}`, { path, value });
}

function checkedOptions(code: unknown, options: unknown): ForcedTlsErrorOptions {
  if (!isErrorCode(code)) throw refuse('code', code, 'not a code of ERROR_CODES');
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || types.isProxy(options)) {
    throw refuse('options', options, 'must be a plain object');
  }
  let copy: ForcedTlsErrorOptions;
  try {
    copy = { ...options };
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', 'Invalid ForcedTlsError options: reading them threw', {
      path: 'options',
      cause: error,
    });
  }
  for (const [key, type] of Object.entries(OPTION_TYPES)) {
    const value = (copy as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== type) throw refuse(key, value, `must be a ${type}`);
  }
  if (copy.recipients !== undefined && !isPlainArray(copy.recipients)) {
    throw refuse('recipients', copy.recipients, 'must be an array');
  }
  return copy;
}

function isPlainArray(value: unknown): boolean {
  return !types.isProxy(value) && Array.isArray(value);
}

// The library's own recipient failures are plain data; anything else is made safe.
function serializable(recipients: readonly RecipientFailure[]): unknown {
  try {
    JSON.stringify(recipients);
    return recipients;
  } catch {
    return jsonSafe(recipients);
  }
}

/** True for a {@link ForcedTlsError} from any copy of this package (ESM or CJS). */
export function isForcedTlsError(value: unknown): value is ForcedTlsError {
  // Through the descriptor and never on a Proxy, so that asking runs no code of the value.
  return (
    typeof value === 'object' &&
    value !== null &&
    !types.isProxy(value) &&
    Object.getOwnPropertyDescriptor(value, BRAND)?.value === true
  );
}
