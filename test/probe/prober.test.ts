import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createProber } from '../../src/probe/index.js';
import { createTestNetwork, startTestMx, type TestNetwork } from '../../src/testing/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { mtaStsWorld, optionsFor } from './helpers.js';

let network: TestNetwork | undefined;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await network?.close();
  network = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function steppedClock(start = Date.now()) {
  let now = start;
  const advance = (ms: number): void => {
    now += ms;
  };
  return { clock: () => new Date(now), advance };
}

describe('createProber', () => {
  it('serves a fresh result from the cache and probes again after the TTL', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test' });
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': mx },
    });
    const time = steppedClock();
    const prober = createProber(optionsFor(network, { clock: time.clock, ttl: 60_000, negativeTtl: 1_000 }));
    const first = await prober.probe('mandant.test');
    expect(await prober.probe('MANDANT.test')).toBe(first);
    time.advance(59_000); // past the negative TTL, within the positive one
    expect(await prober.probe('mandant.test')).toBe(first);
    expect(mx.connections).toBe(1);
    time.advance(2_000);
    const second = await prober.probe('mandant.test');
    expect(second).not.toBe(first);
    expect(mx.connections).toBe(2);
    expect(prober.size).toBe(1);
    await prober.probe('mandant.test', { fresh: true });
    expect(mx.connections).toBe(3);
  });

  it('caches a failed result for the shorter negative TTL', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test', starttls: false });
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': mx },
    });
    const time = steppedClock();
    const prober = createProber(optionsFor(network, { clock: time.clock, ttl: 60_000, negativeTtl: 1_000 }));
    expect((await prober.probe('mandant.test')).satisfies.encrypt).toBe(false);
    time.advance(999);
    await prober.probe('mandant.test');
    expect(mx.connections).toBe(1);
    time.advance(2);
    await prober.probe('mandant.test');
    expect(mx.connections).toBe(2);
  });

  it('caches a result with a host the MTA-STS policy refuses only for the negative TTL, though TLS is fine', async () => {
    const world = await mtaStsWorld({
      hosts: { 'mx.other.test': {} },
      policy: policyText('enforce', ['mx.mandant.test']),
    });
    cleanups.push(world.close);
    const time = steppedClock();
    const prober = createProber(
      optionsFor(world.network, { clock: time.clock, ttl: 60_000, negativeTtl: 1_000 }),
    );
    const first = await prober.probe('mandant.test');
    expect(first.satisfies.encrypt).toBe(true);
    expect(first.hosts[0]?.refused?.code).toBe('EMTASTS');
    time.advance(1_001);
    expect(await prober.probe('mandant.test')).not.toBe(first);
    expect(world.mx['mx.other.test']!.connections).toBe(2);
  });

  it('coalesces concurrent probes of the same domain into one connection', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test' });
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': mx },
    });
    const prober = createProber(optionsFor(network));
    const [a, b, c] = await Promise.all([
      prober.probe('mandant.test'),
      prober.probe('Mandant.Test'),
      prober.probe('mandant.test.'),
    ]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(mx.connections).toBe(1);
    expect(network.calls.filter((call) => call.method === 'resolveMx')).toHaveLength(1);
  });

  it('never holds more connections open than maxConnections', async () => {
    // A silent server; the test itself closes the connections, batch by batch, so the count of
    // connections the prober holds open is exact (no race with the client closing on its own).
    const open = new Set<Socket>();
    let total = 0;
    let peak = 0;
    const server = createServer((socket) => {
      total += 1;
      open.add(socket);
      peak = Math.max(peak, open.size);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const port = (server.address() as { port: number }).port;
    const names = ['mx1', 'mx2', 'mx3', 'mx4', 'mx5'].map((n) => `${n}.mandant.test`);
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: names }, 'other.test': { mx: names.slice(0, 2) } },
      hosts: Object.fromEntries(names.map((n) => [n, { host: '127.0.0.1', port }])),
    });
    const prober = createProber(optionsFor(network, { maxConnections: 2 }));
    const done = Promise.all([prober.probe('mandant.test'), prober.probe('other.test')]);
    for (let handled = 0; handled < 7; ) {
      await expect.poll(() => open.size, { timeout: 3000 }).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 100)); // room for a broken limiter to open more
      expect(open.size).toBeLessThanOrEqual(2);
      handled += open.size;
      for (const socket of open) socket.destroy();
      open.clear();
    }
    const [one, two] = await done;
    expect(one.hosts.map((h) => h.status)).toEqual(Array(5).fill('protocol_error'));
    expect(two.hosts).toHaveLength(2);
    expect(total).toBe(7);
    expect(peak).toBe(2);
  });

  it('rejects bad prober options with EPOLICY naming the field', () => {
    network = createTestNetwork();
    expect(() => createProber(optionsFor(network!, { maxConnections: 0 }))).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'maxConnections' }),
    );
    expect(() => createProber({ ...optionsFor(network!), ttl: 1.5 })).toThrow(
      expect.objectContaining({ path: 'ttl' }),
    );
  });
});
