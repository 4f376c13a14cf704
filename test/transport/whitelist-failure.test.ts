import { describe, expect, it } from 'vitest';
import { ForcedTlsError } from '../../src/errors/index.js';
import { directHarnesses, refusal } from '../support/transport-harness.js';

const harness = directHarnesses();

describe('a whitelist that cannot be read', () => {
  it.each([
    [true, 'a store outage (transient ESTORE)'],
    [false, 'a broken store (permanent ESTORE)'],
  ])('refuses the message with ESTORE, transient %s (%s), and sends nothing', async (transient) => {
    const whitelist = async () => {
      throw new ForcedTlsError('ESTORE', 'database unreachable', { transient });
    };
    const h = await harness({}, undefined, { whitelist });
    const error = await refusal(h.send());
    expect(error).toMatchObject({ code: 'ESTORE', transient });
    expect((error.cause as Error).message).toBe('database unreachable');
    expect(h.mx.connections).toBe(0);
  });
});
