import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ADDRESSES_PER_HOST, resolveConnectTargets } from '../../src/dns/index.js';
import { createTestNetwork, dnsError } from '../../src/testing/index.js';
import type { DeliveryAttempt } from '../../src/transport/index.js';
import { directFixtures, mx } from '../support/direct-network.js';
import { refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const fixtures = directFixtures();
afterEach(fixtures.runCleanup);

describe('direct mode: every address of an MX host is a try', () => {
  it('tries the second address of an MX when the first offers no STARTTLS, and never sends in plaintext', async () => {
    const plain = await mx('mx.mandant.test', { starttls: false });
    const good = await mx('mx.mandant.test', { host: '::1' });
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': [plain, good] },
    });
    const attempts: DeliveryAttempt[] = [];
    const info = await fixtures.direct(network, undefined, attempts).send(['client@mandant.test']);
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(good.messages[0]?.secure).toBe(true);
    expect(attempts.map((a) => [a.host, a.address, a.port, a.outcome, a.code])).toEqual([
      ['mx.mandant.test', '127.0.0.1', plain.port, 'failed', 'ENOSTARTTLS'],
      ['mx.mandant.test', '::1', good.port, 'delivered', undefined],
    ]);
    expect(plain.messages).toEqual([]);
    expect(sensitiveInPlaintext(plain)).toEqual([]);
  });

  it('reports each address tried when all fail; mxTried names the host once', async () => {
    const plain = await mx('mx.mandant.test', { starttls: false });
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': [plain, 'refused'] },
    });
    const error = await refusal(fixtures.direct(network).send(['client@mandant.test']));
    const failure = error.recipients[0]!;
    expect(failure.mxTried).toEqual(['mx.mandant.test']);
    expect(failure.addressesTried).toHaveLength(2);
    expect(failure.addressesTried?.[0]).toBe(`mx.mandant.test[127.0.0.1]:${plain.port}`);
    expect(failure.addressesTried?.[1]).toMatch(/^mx\.mandant\.test\[127\.0\.0\.1\]:\d+$/);
    expect(failure.code).toBe('ECONNECT');
    expect(sensitiveInPlaintext(plain)).toEqual([]);
  });

  it(`tries at most ${MAX_ADDRESSES_PER_HOST} addresses of one host`, async () => {
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': Array.from({ length: 7 }, () => 'refused' as const) },
    });
    const attempts: DeliveryAttempt[] = [];
    const error = await refusal(fixtures.direct(network, undefined, attempts).send(['client@mandant.test']));
    expect(attempts).toHaveLength(MAX_ADDRESSES_PER_HOST);
    expect(error.recipients[0]?.addressesTried).toHaveLength(MAX_ADDRESSES_PER_HOST);
  });
});

describe('resolveConnectTargets: the addresses of a host from DNS', () => {
  it('gives IPv4 then IPv6, at most five, and the A lookup error when there are none', async () => {
    const resolver = {
      resolveMx: async () => [],
      resolve4: async (host: string) => {
        if (host === 'none.test') throw dnsError('ENODATA', 'queryA', host);
        return ['192.0.2.1', '192.0.2.2', '192.0.2.3'];
      },
      resolve6: async (host: string) => {
        if (host === 'none.test') throw dnsError('ENODATA', 'queryAaaa', host);
        return ['2001:db8::1', '2001:db8::2', '2001:db8::3'];
      },
    };
    const targets = await resolveConnectTargets('mx.test', 25, { resolver });
    expect(targets.map((t) => t.host)).toEqual([
      '192.0.2.1',
      '192.0.2.2',
      '192.0.2.3',
      '2001:db8::1',
      '2001:db8::2',
    ]);
    await expect(resolveConnectTargets('none.test', 25, { resolver })).rejects.toMatchObject({
      code: 'ENODATA',
    });
  });
});
