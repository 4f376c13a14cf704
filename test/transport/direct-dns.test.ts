import { afterEach, describe, expect, it } from 'vitest';
import { createTestNetwork } from '../../src/testing/index.js';
import type { DeliveryAttempt } from '../../src/transport/index.js';
import { directFixtures, mx } from '../support/direct-network.js';
import { refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const fixtures = directFixtures();
const { direct } = fixtures;
afterEach(fixtures.runCleanup);

describe('direct mode: the shared mail-host lookup', () => {
  it('tries an MX listed twice in different spelling once (lowercased, trailing dot stripped)', async () => {
    const broken = await mx('mx1.mandant.test', { starttls: false });
    const network = createTestNetwork({
      domains: {
        'mandant.test': {
          mx: [
            { exchange: 'mx1.mandant.test', priority: 10 },
            { exchange: 'MX1.Mandant.TEST.', priority: 20 },
          ],
        },
      },
      hosts: { 'mx1.mandant.test': broken },
    });
    const attempts: DeliveryAttempt[] = [];
    const error = await refusal(direct(network, undefined, attempts).send(['client@mandant.test']));
    expect(error.recipients[0]).toMatchObject({ code: 'ENOSTARTTLS', mxTried: ['mx1.mandant.test'] });
    expect(attempts.map((a) => a.host)).toEqual(['mx1.mandant.test']);
    expect(network.calls.filter((c) => c.method === 'connect')).toHaveLength(1);
    expect(sensitiveInPlaintext(broken)).toEqual([]);
  });

  it('refuses a domain with neither MX nor address permanently (ENOMX at dns), as the probe says no_mail_server', async () => {
    const network = createTestNetwork({ domains: { 'empty.test': 'nodata' } });
    const attempts: DeliveryAttempt[] = [];
    const error = await refusal(direct(network, undefined, attempts).send(['client@empty.test']));
    expect(error.recipients[0]).toMatchObject({
      code: 'ENOMX',
      phase: 'dns',
      transient: false,
      mayWhitelist: false,
      mxTried: [],
    });
    expect(attempts).toEqual([]);
    expect(network.calls.filter((c) => c.method === 'connect')).toEqual([]);
  });

  it('keeps a failed address lookup of an MX-less domain transient (ESERVFAIL → ECONNECT)', async () => {
    const network = createTestNetwork({ domains: { 'flaky.test': {} } });
    network.resolver.resolve4 = async () => {
      throw Object.assign(new Error('queryA ESERVFAIL flaky.test'), { code: 'ESERVFAIL' });
    };
    const error = await refusal(direct(network).send(['client@flaky.test']));
    expect(error.recipients[0]).toMatchObject({ code: 'ECONNECT', phase: 'dns', transient: true });
  });
});
