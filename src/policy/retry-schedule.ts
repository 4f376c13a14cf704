import { ForcedTlsError } from '../errors/forced-tls-error.js';
import { readShape } from '../errors/shape.js';

/** The limits of a {@link retrySchedule}, in seconds, named after Postfix's parameters. */
export interface RetryLimits {
  /** The shortest delay before the next attempt (Postfix `minimal_backoff_time`). @default 300 */
  readonly minimalBackoffTime: number;
  /** The longest delay before the next attempt (Postfix `maximal_backoff_time`). @default 4000 */
  readonly maximalBackoffTime: number;
  /**
   * How long after the first failure a transient failure is still retried (Postfix
   * `maximal_queue_lifetime`); `0` tries once. @default 432000 (5 days)
   */
  readonly maximalQueueLifetime: number;
}

/**
 * Postfix's defaults (postconf(5) of Postfix 3.7): `minimal_backoff_time = 300s`,
 * `maximal_backoff_time = 4000s`, `maximal_queue_lifetime = 5d`.
 *
 * @example
 * ```ts
 * RETRY_SCHEDULE.minimalBackoffTime; // 300
 * ```
 */
export const RETRY_SCHEDULE: RetryLimits = Object.freeze({
  minimalBackoffTime: 300,
  maximalBackoffTime: 4000,
  maximalQueueLifetime: 5 * 24 * 3600,
});

/** What {@link retrySchedule} is asked: when the message first failed, the time now, optional limits. */
export interface RetryScheduleInput extends Partial<RetryLimits> {
  /** When the first attempt failed (the message entered the app's queue). */
  readonly firstFailedAt: Date;
  /** The time of the attempt that just failed. */
  readonly now: Date;
}

/** Try again `retryAfter` seconds from `now`. */
export interface RetryLater {
  /** Always `retry`. */
  readonly action: 'retry';
  /** Seconds until the next attempt. */
  readonly retryAfter: number;
  /** `now` + `retryAfter`. */
  readonly retryAt: Date;
  /** Whole seconds since the first failure. */
  readonly age: number;
}

/** Stop retrying: the queue lifetime is over. Report the recipient as undeliverable. */
export interface GiveUp {
  /** Always `give_up`. */
  readonly action: 'give_up';
  /** Whole seconds since the first failure. */
  readonly age: number;
  /** When the lifetime ended: `firstFailedAt` + `maximalQueueLifetime`. */
  readonly expiredAt: Date;
}

/** The answer of {@link retrySchedule}. */
export type RetryStep = RetryLater | GiveUp;

const FIELDS = {
  firstFailedAt: 'date',
  now: 'date',
  minimalBackoffTime: 'number',
  maximalBackoffTime: 'number',
  maximalQueueLifetime: 'number',
} as const;

function seconds(name: keyof RetryLimits, value: unknown): number {
  const given = value ?? RETRY_SCHEDULE[name];
  if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < 0) {
    throw new ForcedTlsError('EPOLICY', `Invalid option ${name}: must be a whole number of seconds ≥ 0`, {
      path: name,
      value: given,
    });
  }
  return given;
}

/**
 * When to try a transiently failed recipient again, as Postfix's queue manager decides it
 * (`qmgr_active.c`): after a failed attempt, give up once the time since the first failure has
 * reached `maximalQueueLifetime`; otherwise wait that time in the queue again, but at least
 * `minimalBackoffTime` and at most `maximalBackoffTime`. Attempts made on schedule are therefore
 * 300 s, 600 s, 1200 s, 2400 s, 4800 s after the first failure, then every 4000 s, for 5 days.
 * It counts time in the queue, not attempts (as Postfix does), so a queue that runs late does not
 * retry faster. Pure: the clock is the caller's. A `now` before `firstFailedAt` counts as age 0.
 * Bad input throws `EPOLICY` naming the field.
 *
 * @example
 * ```ts
 * const first = new Date('2026-12-01T08:00:00Z');
 * retrySchedule({ firstFailedAt: first, now: first }); // { action: 'retry', retryAfter: 300, … }
 * retrySchedule({ firstFailedAt: first, now: new Date('2026-12-01T08:20:00Z') }).retryAfter; // 1200
 * retrySchedule({ firstFailedAt: first, now: new Date('2026-12-06T08:00:00Z') }).action; // 'give_up'
 * ```
 */
export function retrySchedule(input: RetryScheduleInput): RetryStep {
  const o = readShape(input, FIELDS, { optional: false });
  if (o.firstFailedAt === undefined) throw missing('firstFailedAt');
  if (o.now === undefined) throw missing('now');
  const minimal = seconds('minimalBackoffTime', o.minimalBackoffTime);
  const maximal = seconds('maximalBackoffTime', o.maximalBackoffTime);
  const lifetime = seconds('maximalQueueLifetime', o.maximalQueueLifetime);
  if (maximal < minimal) {
    throw new ForcedTlsError('EPOLICY', 'Invalid option maximalBackoffTime: below minimalBackoffTime', {
      path: 'maximalBackoffTime',
      value: maximal,
    });
  }
  const first = (o.firstFailedAt as Date).getTime();
  const now = (o.now as Date).getTime();
  const age = Math.max(0, Math.floor((now - first) / 1000));
  if (age >= lifetime) return { action: 'give_up', age, expiredAt: new Date(first + lifetime * 1000) };
  const retryAfter = Math.min(maximal, Math.max(minimal, age));
  return { action: 'retry', retryAfter, retryAt: new Date(now + retryAfter * 1000), age };
}

function missing(path: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid option ${path}: required (a valid Date)`, { path });
}
