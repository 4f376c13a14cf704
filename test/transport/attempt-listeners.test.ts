import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryAttempt } from '../../src/transport/index.js';
import { type DirectHarness, directHarness, sensitiveInPlaintext } from '../support/transport-harness.js';

const harnesses: DirectHarness[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  unhandled.length = 0;
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

/** Lets pending rejections surface as `unhandledRejection` events. */
const settleRejections = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('attempt listeners can never affect a delivery', () => {
  it('an async onAttempt that rejects causes no unhandled rejection; the attempt event still fires', async () => {
    process.on('unhandledRejection', onUnhandled);
    const events: DeliveryAttempt[] = [];
    const h = await directHarness({}, undefined, {
      onAttempt: async () => {
        throw new Error('audit log unavailable');
      },
    });
    harnesses.push(h);
    h.transport.on('attempt', (a: DeliveryAttempt) => events.push(a));
    const info = await h.send();
    await settleRejections();
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(events.map((e) => e.outcome)).toEqual(['delivered']);
    expect(unhandled).toEqual([]);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('a throwing onAttempt and a throwing or rejecting attempt listener skip no other listener', async () => {
    process.on('unhandledRejection', onUnhandled);
    const events: string[] = [];
    const h = await directHarness({}, undefined, {
      onAttempt: () => {
        throw new Error('callback fails');
      },
    });
    harnesses.push(h);
    h.transport.on('attempt', () => {
      throw new Error('listener fails');
    });
    h.transport.on('attempt', async () => {
      throw new Error('async listener fails');
    });
    h.transport.on('attempt', (a: DeliveryAttempt) => events.push(a.outcome));
    const info = await h.send();
    await settleRejections();
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(events).toEqual(['delivered']);
    expect(unhandled).toEqual([]);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });
});
