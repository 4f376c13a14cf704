import { ERROR_CODES, type ErrorCode } from './codes.js';
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

  constructor(code: ErrorCode, message: string, options: ForcedTlsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
    if ('value' in options) this.value = options.value;
    this.recipients = Object.freeze([...(options.recipients ?? [])]);
    this.transient = options.transient ?? ERROR_CODES[code].transient;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Loggable plain data (no stack, no secrets). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      transient: this.transient,
    };
    if (this.path !== undefined) json['path'] = this.path;
    if ('value' in this) json['value'] = this.value;
    if (this.recipients.length > 0) json['recipients'] = this.recipients;
    if (this.cause !== undefined) {
      json['cause'] =
        this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : this.cause;
    }
    return json;
  }
}

/** True for a {@link ForcedTlsError} from any copy of this package (ESM or CJS). */
export function isForcedTlsError(value: unknown): value is ForcedTlsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
