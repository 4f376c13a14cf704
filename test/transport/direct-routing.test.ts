import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { createTestNetwork } from '../../src/testing/index.js';
import { createDirectTransport, type DeliveryAttempt } from '../../src/transport/index.js';
import { directFixtures, mx } from '../support/direct-network.js';
import { FROM, refusal, sensitiveInPlaintext, transporterOf } from '../support/transport-harness.js';

const fixtures = directFixtures();
const { cleanup, direct } = fixtures;
afterEach(fixtures.runCleanup);

describe('direct mode: MX order, failover and DNS outcomes', () => {
  it('tries MX hosts by preference and fails over from a no-STARTTLS MX to a TLS MX (never plaintext)', async () => {
    const plain = await mx('mx1.mandant.test', { starttls: false });
    const good = await mx('mx2.mandant.test');
    const network = createTestNetwork({
      domains: {
        'mandant.test': {
          mx: [
            { exchange: 'mx2.mandant.test', priority: 20 },
            { exchange: 'mx1.mandant.test', priority: 10 },
          ],
        },
      },
      hosts: { 'mx1.mandant.test': plain, 'mx2.mandant.test': good },
    });
    const attempts: DeliveryAttempt[] = [];
    const info = await direct(network, undefined, attempts).send(['client@mandant.test']);
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(info.tls.recipients[0]?.mx).toBe('mx2.mandant.test');
    expect(sensitiveInPlaintext(plain)).toEqual([]);
    expect(plain.messages).toEqual([]);
    expect(good.messages[0]?.secure).toBe(true);
    expect(attempts.map((a) => [a.host, a.outcome, a.code])).toEqual([
      ['mx1.mandant.test', 'failed', 'ENOSTARTTLS'],
      ['mx2.mandant.test', 'delivered', undefined],
    ]);
    expect(attempts[1]).toMatchObject({
      level: 'encrypt',
      port: good.port,
      recipients: ['client@mandant.test'],
    });
    expect(attempts[1]?.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('picks randomly among MX hosts of equal preference (random source injected)', async () => {
    const first = await mx('mx1.mandant.test');
    const second = await mx('mx2.mandant.test');
    const network = createTestNetwork({
      domains: {
        'mandant.test': {
          mx: [
            { exchange: 'mx1.mandant.test', priority: 10 },
            { exchange: 'mx2.mandant.test', priority: 10 },
          ],
        },
      },
      hosts: { 'mx1.mandant.test': first, 'mx2.mandant.test': second },
    });
    const picked: string[] = [];
    for (const random of [0, 0.99]) {
      const transporter = transporterOf(
        createDirectTransport({
          policy: createPolicy({}),
          name: 'client.kanzlei.test',
          resolver: network.resolver,
          connect: network.connect,
          ca: network.ca.cert,
          random: () => random,
        }),
      );
      const info = await transporter.sendMail({ from: FROM, to: 'x@mandant.test', text: 't' });
      picked.push(info.tls.recipients[0]?.mx ?? '');
      transporter.close();
    }
    cleanup.push(() => network.close());
    expect(new Set(picked)).toEqual(new Set(['mx1.mandant.test', 'mx2.mandant.test']));
    expect([...sensitiveInPlaintext(first), ...sensitiveInPlaintext(second)]).toEqual([]);
  });

  it('moves on from an MX that refuses the connection (ECONNECT at connect) to the next one', async () => {
    const good = await mx('mx2.mandant.test');
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx1.mandant.test', 'mx2.mandant.test'] } },
      hosts: { 'mx1.mandant.test': 'refused', 'mx2.mandant.test': good },
    });
    const attempts: DeliveryAttempt[] = [];
    const info = await direct(network, undefined, attempts).send(['client@mandant.test']);
    expect(info.tls.recipients[0]?.mx).toBe('mx2.mandant.test');
    expect(attempts.map((a) => [a.host, a.outcome, a.code])).toEqual([
      ['mx1.mandant.test', 'failed', 'ECONNECT'],
      ['mx2.mandant.test', 'delivered', undefined],
    ]);
    expect(sensitiveInPlaintext(good)).toEqual([]);
  });

  it('reports every MX tried when all fail, with the last failure, and sends nothing in plaintext', async () => {
    const a = await mx('mx1.mandant.test', { starttls: false });
    const b = await mx('mx2.mandant.test', { starttlsResponse: '454 4.7.0 TLS not available\r\n' });
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx1.mandant.test', 'mx2.mandant.test'] } },
      hosts: { 'mx1.mandant.test': a, 'mx2.mandant.test': b },
    });
    const error = await refusal(direct(network).send(['client@mandant.test']));
    expect(error.code).toBe('ETLSREQUIRED');
    expect(error.recipients[0]).toMatchObject({
      code: 'ESTARTTLSREFUSED',
      mx: 'mx2.mandant.test',
      mxTried: ['mx1.mandant.test', 'mx2.mandant.test'],
      transient: true,
    });
    expect([...sensitiveInPlaintext(a), ...sensitiveInPlaintext(b)]).toEqual([]);
  });

  it('falls back to the domain itself when it has no MX record (A fallback)', async () => {
    const host = await mx('mandant.test');
    const network = createTestNetwork({ domains: { 'mandant.test': {} }, hosts: { 'mandant.test': host } });
    const info = await direct(network).send(['client@mandant.test']);
    expect(info.tls.recipients[0]?.mx).toBe('mandant.test');
    expect(host.messages[0]?.secure).toBe(true);
  });

  it('refuses a null-MX domain permanently (ENULLMX at dns, not whitelistable)', async () => {
    const network = createTestNetwork({ domains: { 'mandant.test': 'null-mx' } });
    const error = await refusal(direct(network).send(['client@mandant.test']));
    expect(error.code).toBe('EDELIVERY');
    expect(error.recipients[0]).toMatchObject({
      code: 'ENULLMX',
      phase: 'dns',
      transient: false,
      mayWhitelist: false,
      mxTried: [],
    });
  });

  it('refuses a domain that does not exist (ENOMX) and one whose DNS times out (ETIMEOUT, transient)', async () => {
    const network = createTestNetwork({ domains: { 'gone.test': 'nxdomain', 'slow.test': 'timeout' } });
    const error = await refusal(direct(network).send(['a@gone.test', 'b@slow.test']));
    expect(error.recipients.map((r) => [r.recipient, r.code, r.transient])).toEqual([
      ['a@gone.test', 'ENOMX', false],
      ['b@slow.test', 'ETIMEOUT', true],
    ]);
  });
});
