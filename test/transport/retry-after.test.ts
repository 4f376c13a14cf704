import { describe, expect, expectTypeOf, it } from 'vitest';
import { RETRY_SCHEDULE, type RecipientFailure, retrySchedule } from '../../src/index.js';
import { directHarnesses, refusal, STALL } from '../support/transport-harness.js';

// Every transient failure a transport reports says when to retry: Postfix's minimal_backoff_time,
// the first step of retrySchedule. A permanent one has no retryAfter.

const harness = directHarnesses();

describe('retryAfter on the RecipientFailure of a transient failure', () => {
  it('is the first step of retrySchedule (300 s)', () => {
    const now = new Date('2026-12-01T08:00:00Z');
    const first = retrySchedule({ firstFailedAt: now, now });
    expect(first).toMatchObject({ action: 'retry', retryAfter: RETRY_SCHEDULE.minimalBackoffTime });
    expectTypeOf<RecipientFailure['retryAfter']>().toEqualTypeOf<number | undefined>();
  });

  it('a recipient deferred with 451 (greylisting): transient, retryAfter 300; one refused with 550: none', async () => {
    const h = await harness({
      rcptResponse: (a) =>
        a.startsWith('grey') ? '451 4.7.1 Greylisted, try again later\r\n' : '550 5.1.1 No such user\r\n',
    });
    const error = await refusal(h.send(['grey@mandant.test', 'gone@mandant.test']));
    expect(error.recipients.map((r) => [r.recipient, r.code, r.transient, r.retryAfter])).toEqual([
      ['grey@mandant.test', 'EREJECTED', true, 300],
      ['gone@mandant.test', 'EREJECTED', false, undefined],
    ]);
    expect('retryAfter' in error.recipients[1]!).toBe(false);
  });

  it('a partial delivery: the deferred recipient in rejectedErrors carries retryAfter', async () => {
    const h = await harness({
      rcptResponse: (a) => (a.startsWith('grey') ? '450 4.2.0 Mailbox busy\r\n' : undefined),
    });
    const info = await h.send(['grey@mandant.test', 'ok@mandant.test']);
    expect(info.accepted).toEqual(['ok@mandant.test']);
    expect(info.rejectedErrors[0]?.recipients[0]).toMatchObject({ transient: true, retryAfter: 300 });
  });

  it('a timeout (ETIMEOUT) and a 454 to STARTTLS (ESTARTTLSREFUSED) are transient with retryAfter', async () => {
    const stalled = await harness({ stallAt: 'greeting' }, undefined, { timeouts: STALL });
    expect((await refusal(stalled.send())).recipients[0]).toMatchObject({
      code: 'ETIMEOUT',
      transient: true,
      retryAfter: 300,
    });
    const refused = await harness({ starttlsResponse: '454 4.7.0 TLS not available\r\n' });
    expect((await refusal(refused.send())).recipients[0]).toMatchObject({
      code: 'ESTARTTLSREFUSED',
      transient: true,
      retryAfter: 300,
    });
  });

  it('a permanent refusal (no STARTTLS at all) has none', async () => {
    const h = await harness({ starttls: false });
    const failure = (await refusal(h.send())).recipients[0]!;
    expect(failure).toMatchObject({ code: 'ENOSTARTTLS', transient: false });
    expect(failure.retryAfter).toBeUndefined();
  });
});
