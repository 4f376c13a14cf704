import { afterEach, describe, expect, it } from 'vitest';
import { createTestNetwork, type TestMx } from '../../src/testing/index.js';
import { directFixtures, mx } from '../support/direct-network.js';

const fixtures = directFixtures();
afterEach(fixtures.runCleanup);

describe('direct mode: pooled connections are reused under load', () => {
  it.each([
    // Messages reach the pool domain after domain: one connection per domain suffices (a few more for the start-up race).
    [false, 20],
    // With MTA-STS the messages to a domain wait for one shared TXT lookup and arrive in a burst: each
    // domain opens at most maxConnectionsPerHost (5) sessions and shares them.
    [true, 50],
  ] as const)(
    '10 domains, the default pool of 10 connections, 300 concurrent messages (MTA-STS %s): at most %i connections',
    async (mtaSts, limit) => {
      const domains = Array.from({ length: 10 }, (_, i) => `mandant${i}.test`);
      const servers: TestMx[] = await Promise.all(domains.map((d) => mx(`mx.${d}`)));
      const network = createTestNetwork({
        domains: Object.fromEntries(domains.map((d) => [d, { mx: [`mx.${d}`] }])),
        hosts: Object.fromEntries(domains.map((d, i) => [`mx.${d}`, servers[i]!])),
      });
      const { transporter } = fixtures.direct(network, undefined, undefined, mtaSts ? {} : { mtaSts: false });
      const count = 300;
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          transporter.sendMail({ from: 'kanzlei@sender.test', to: `m${i}@${domains[i % 10]}`, text: 'x' }),
        ),
      );
      const connections = servers.reduce((n, s) => n + s.connections, 0);
      const delivered = servers.reduce((n, s) => n + s.messages.length, 0);
      expect(delivered).toBe(count);
      expect(connections).toBeLessThanOrEqual(limit);
      expect(1 - connections / count).toBeGreaterThanOrEqual(1 - limit / count);
    },
  );
});
