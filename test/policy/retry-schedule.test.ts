import { describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import { RETRY_SCHEDULE, type RetryStep, retrySchedule } from '../../src/index.js';

const FIRST = new Date('2026-12-01T08:00:00.000Z');
const at = (seconds: number) => new Date(FIRST.getTime() + seconds * 1000);
const step = (seconds: number, limits = {}): RetryStep =>
  retrySchedule({ firstFailedAt: FIRST, now: at(seconds), ...limits });

function refusal(input: unknown): unknown {
  try {
    retrySchedule(input as never);
  } catch (error) {
    return isForcedTlsError(error) ? { code: error.code, path: error.path } : error;
  }
  return 'accepted';
}

describe('retrySchedule: Postfix’s queue manager schedule (qmgr_active.c), pure', () => {
  it('has Postfix 3.7’s defaults: 300 s, 4000 s, 5 days', () => {
    expect(RETRY_SCHEDULE).toEqual({
      minimalBackoffTime: 300,
      maximalBackoffTime: 4000,
      maximalQueueLifetime: 432_000,
    });
    expect(Object.isFrozen(RETRY_SCHEDULE)).toBe(true);
  });

  it('waits minimal_backoff_time after the first failure', () => {
    expect(step(0)).toEqual({ action: 'retry', retryAfter: 300, retryAt: at(300), age: 0 });
  });

  it('attempts on schedule come 300, 600, 1200, 2400, 4800 s after the first failure, then every 4000 s', () => {
    const attempts: number[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      const next = step(now);
      if (next.action !== 'retry') throw new Error('gave up early');
      now += next.retryAfter;
      attempts.push(now);
    }
    expect(attempts).toEqual([300, 600, 1200, 2400, 4800, 8800, 12_800, 16_800]);
  });

  it('counts time in the queue, not attempts: a late attempt waits longer, never beyond maximal_backoff_time', () => {
    expect(step(900)).toMatchObject({ retryAfter: 900, age: 900 });
    expect(step(3999)).toMatchObject({ retryAfter: 3999 });
    expect(step(86_400)).toMatchObject({ retryAfter: 4000 });
  });

  it('gives up once the age has reached maximal_queue_lifetime (Postfix bounces at that attempt)', () => {
    expect(step(432_000 - 1)).toMatchObject({ action: 'retry', retryAfter: 4000 });
    expect(step(432_000)).toEqual({ action: 'give_up', age: 432_000, expiredAt: at(432_000) });
    expect(step(500_000).action).toBe('give_up');
  });

  it('takes other limits; maximalQueueLifetime 0 tries once', () => {
    const limits = { minimalBackoffTime: 60, maximalBackoffTime: 600, maximalQueueLifetime: 3600 };
    expect(step(0, limits)).toMatchObject({ retryAfter: 60 });
    expect(step(1000, limits)).toMatchObject({ retryAfter: 600 });
    expect(step(3600, limits).action).toBe('give_up');
    expect(step(0, { maximalQueueLifetime: 0 }).action).toBe('give_up');
  });

  it('a now before firstFailedAt (a clock step back) counts as age 0; fractions of a second are cut', () => {
    expect(step(-50)).toMatchObject({ action: 'retry', retryAfter: 300, age: 0 });
    expect(retrySchedule({ firstFailedAt: FIRST, now: new Date(at(700).getTime() + 999) })).toMatchObject({
      age: 700,
      retryAfter: 700,
    });
  });

  it.each([
    [undefined, 'options'],
    [{ now: FIRST }, 'firstFailedAt'],
    [{ firstFailedAt: FIRST }, 'now'],
    [{ firstFailedAt: '2026-12-01', now: FIRST }, 'firstFailedAt'],
    [{ firstFailedAt: FIRST, now: new Date(Number.NaN) }, 'now'],
    [{ firstFailedAt: FIRST, now: FIRST, minimalBackoffTime: -1 }, 'minimalBackoffTime'],
    [{ firstFailedAt: FIRST, now: FIRST, maximalBackoffTime: 1.5 }, 'maximalBackoffTime'],
    [{ firstFailedAt: FIRST, now: FIRST, maximalQueueLifetime: '5d' }, 'maximalQueueLifetime'],
    [
      { firstFailedAt: FIRST, now: FIRST, minimalBackoffTime: 500, maximalBackoffTime: 400 },
      'maximalBackoffTime',
    ],
  ])('refuses %o with EPOLICY naming %s', (input, path) => {
    expect(refusal(input)).toEqual({ code: 'EPOLICY', path });
  });
});
