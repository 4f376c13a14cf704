import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryAttempt } from '../../src/transport/index.js';
import { relayFixtures } from '../support/relay-harness.js';
import { type DirectHarness, directHarness } from '../support/transport-harness.js';

const NOW = new Date('2031-05-06T07:08:09.000Z');
const harnesses: DirectHarness[] = [];
const fixtures = relayFixtures();
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  await fixtures.cleanup();
});

describe("attempt times come from the transport's clock", () => {
  it('direct: startedAt is the injected clock, durationMs stays a real duration', async () => {
    const attempts: DeliveryAttempt[] = [];
    const h = await directHarness({}, undefined, { clock: () => NOW, onAttempt: (a) => attempts.push(a) });
    harnesses.push(h);
    await h.send();
    expect(attempts.map((a) => a.startedAt.toISOString())).toEqual([NOW.toISOString()]);
    expect(attempts[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(attempts[0]?.durationMs).toBeLessThan(60_000);
  });

  it('relay: startedAt is the injected clock', async () => {
    const attempts: DeliveryAttempt[] = [];
    const { send } = await fixtures.relay({}, { clock: () => NOW, onAttempt: (a) => attempts.push(a) });
    await send(['client@mandant.test']);
    expect(attempts.map((a) => a.startedAt.toISOString())).toEqual([NOW.toISOString()]);
    expect(attempts[0]?.durationMs).toBeLessThan(60_000);
  });
});
