import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnssecResolver } from '../../src/dnssec/index.js';
import { createTestCa } from '../../src/testing/index.js';
import { startDnsPeer } from '../support/dns-peers.js';
import { startDnsProxy } from '../support/dns-proxy.js';
import { type DnssecStack, dnssecGate, startDnssecStack, tlsaValue } from '../support/dnssec-stack.js';

const gate = dnssecGate();
const leaf = createTestCa().issue({ names: ['mx.dane.test'] });
const TLSA = tlsaValue(leaf.cert, 3, 1, 1);
// Eight 200-byte TXT records: with their signature more than the 1232 bytes a UDP reply may carry.
const BIG = Array.from({ length: 8 }, (_, i) => ({
  name: 'big',
  type: 'TXT' as const,
  value: `${i}`.repeat(200),
}));

describe.skipIf(!gate.available)('DNSSEC resolver against nsd + unbound', () => {
  let stack: DnssecStack;
  beforeAll(async () => {
    stack = await startDnssecStack([
      {
        name: 'dane.test',
        signed: true,
        records: [
          { name: '@', type: 'MX', value: '10 mx.dane.test' },
          { name: 'mx', type: 'A', value: '127.0.0.1' },
          { name: 'mx', type: 'AAAA', value: '::1' },
          { name: '_25._tcp.mx', type: 'TLSA', value: TLSA },
          { name: 'alias', type: 'CNAME', value: 'mx.dane.test' },
          { name: '@', type: 'TXT', value: 'v=STSv1; id=20240101' },
          { name: 'short', type: 'A', value: '127.0.0.2', ttl: 60 },
          ...BIG,
        ],
      },
      {
        name: 'bogus.test',
        signed: true,
        records: [
          { name: '@', type: 'MX', value: '10 mx.bogus.test', tamper: true },
          { name: 'mx', type: 'A', value: '127.0.0.1' },
          { name: '_25._tcp.mx', type: 'TLSA', value: TLSA, tamper: true },
        ],
      },
      {
        name: 'plain.test',
        signed: false,
        records: [
          { name: '@', type: 'MX', value: '10 mx.plain.test' },
          { name: 'mx', type: 'A', value: '127.0.0.1' },
          { name: '_25._tcp.mx', type: 'TLSA', value: TLSA },
        ],
      },
    ]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const resolver = (options: { cache?: false } = {}) =>
    createDnssecResolver({ servers: [stack.resolver], ...options });

  it('secure: a signed MX RRset comes with the AD bit', async () => {
    const mx = await resolver().mx('dane.test');
    expect(mx).toMatchObject({
      name: 'dane.test',
      type: 'MX',
      status: 'secure',
      kind: 'records',
      rcode: 'NOERROR',
      records: [{ exchange: 'mx.dane.test', priority: 10 }],
      server: stack.resolver,
      transport: 'udp',
      cached: false,
    });
    expect(mx.ttl).toBeGreaterThan(0);
    expect(mx.ttl).toBeLessThanOrEqual(300);
  });

  it('secure: TLSA records are decoded (usage, selector, matching type, data)', async () => {
    const tlsa = await resolver().tlsa('mx.dane.test');
    expect(tlsa.name).toBe('_25._tcp.mx.dane.test');
    expect(tlsa.status).toBe('secure');
    const [record] = tlsa.records;
    expect(record).toMatchObject({ usage: 3, selector: 1, matchingType: 1 });
    expect(`3 1 1 ${Buffer.from(record!.data).toString('hex')}`).toBe(TLSA);
  });

  it('secure: A, AAAA and TXT; a CNAME is followed and reported', async () => {
    const r = resolver();
    expect((await r.a('mx.dane.test')).records).toEqual(['127.0.0.1']);
    expect((await r.aaaa('mx.dane.test')).records).toEqual(['::1']);
    expect((await r.txt('dane.test')).records).toEqual(['v=STSv1; id=20240101']);
    const alias = await r.a('alias.dane.test');
    expect(alias).toMatchObject({ status: 'secure', records: ['127.0.0.1'], canonicalName: 'mx.dane.test' });
  });

  it('insecure: an unsigned zone behind an insecure delegation answers without AD', async () => {
    const r = resolver();
    const mx = await r.mx('plain.test');
    expect(mx).toMatchObject({
      status: 'insecure',
      kind: 'records',
      records: [{ exchange: 'mx.plain.test' }],
    });
    const tlsa = await r.tlsa('mx.plain.test');
    expect(tlsa).toMatchObject({ status: 'insecure', kind: 'records' });
    expect(tlsa.records).toHaveLength(1);
  });

  it('bogus: a TLSA RRset with a broken signature is SERVFAIL, bogus, with no records — never "no TLSA"', async () => {
    const tlsa = await resolver().tlsa('mx.bogus.test');
    expect(tlsa).toMatchObject({
      status: 'bogus',
      kind: 'error',
      rcode: 'SERVFAIL',
      failure: 'servfail',
      records: [],
      ttl: 0,
    });
    expect(tlsa.extendedErrors?.some((e) => e.code === 6 || e.code === 7 || e.code === 10)).toBe(true);
    expect(tlsa.message).toContain('SERVFAIL');
  });

  it('bogus: a tampered MX RRset is bogus too, while the untampered A record of the same zone is secure', async () => {
    const r = resolver();
    expect(await r.mx('bogus.test')).toMatchObject({ status: 'bogus', kind: 'error', records: [] });
    expect(await r.a('mx.bogus.test')).toMatchObject({ status: 'secure', records: ['127.0.0.1'] });
  });

  it('authenticated denial: a missing TLSA name is secure NXDOMAIN, a missing type secure NODATA', async () => {
    const r = resolver();
    const missing = await r.tlsa('nomx.dane.test');
    expect(missing).toMatchObject({ status: 'secure', kind: 'nxdomain', rcode: 'NXDOMAIN', records: [] });
    expect(missing.ttl).toBeGreaterThan(0);
    const nodata = await r.txt('mx.dane.test');
    expect(nodata).toMatchObject({ status: 'secure', kind: 'nodata', rcode: 'NOERROR', records: [] });
  });

  it('TCP on truncation: an answer too big for UDP is asked again over TCP', async () => {
    const proxy = await startDnsProxy(stack.resolver);
    try {
      const r = createDnssecResolver({ servers: [proxy.address] });
      const big = await r.txt('big.dane.test');
      expect(big).toMatchObject({ status: 'secure', kind: 'records', transport: 'tcp' });
      expect(big.records).toHaveLength(8);
      expect([proxy.udp, proxy.tcp]).toEqual([1, 1]);
      expect(r.stats()).toMatchObject({ udpQueries: 1, tcpQueries: 1 });
    } finally {
      await proxy.close();
    }
  });

  it('cache: a warm cache sends zero queries until the TTL has passed on the injected clock', async () => {
    const proxy = await startDnsProxy(stack.resolver);
    let now = Date.parse('2030-01-01T00:00:00Z');
    try {
      const r = createDnssecResolver({ servers: [proxy.address], clock: () => new Date(now) });
      const first = await r.a('short.dane.test');
      expect(first).toMatchObject({ status: 'secure', cached: false, records: ['127.0.0.2'] });
      expect(proxy.udp).toBe(1);
      now += 30_000;
      const second = await r.a('short.dane.test');
      expect(second).toMatchObject({ status: 'secure', cached: true, records: ['127.0.0.2'] });
      expect(second.ttl).toBe(first.ttl - 30);
      expect(proxy.udp).toBe(1);
      now += first.ttl * 1000;
      expect(await r.a('short.dane.test')).toMatchObject({ cached: false });
      expect(proxy.udp).toBe(2);
      expect(r.stats()).toMatchObject({ lookups: 3, cacheHits: 1, udpQueries: 2 });
    } finally {
      await proxy.close();
    }
  });

  it('cache: concurrent lookups of one name share one query; failures are not cached', async () => {
    const proxy = await startDnsProxy(stack.resolver);
    try {
      const r = createDnssecResolver({ servers: [proxy.address] });
      const answers = await Promise.all([r.mx('dane.test'), r.mx('dane.test'), r.mx('dane.test')]);
      expect(answers.map((a) => a.status)).toEqual(['secure', 'secure', 'secure']);
      expect(proxy.udp).toBe(1);
      await r.tlsa('mx.bogus.test');
      await r.tlsa('mx.bogus.test');
      expect(proxy.udp).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  it('cache bounds: max entries (least recently used dropped), maxTtl, and cache: false', async () => {
    const proxy = await startDnsProxy(stack.resolver);
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = () => new Date(now);
    try {
      const small = createDnssecResolver({ servers: [proxy.address], cache: { max: 1 }, clock });
      await small.a('mx.dane.test');
      await small.mx('dane.test');
      await small.a('mx.dane.test');
      expect(proxy.udp).toBe(3);
      const capped = createDnssecResolver({ servers: [proxy.address], cache: { maxTtl: 10 }, clock });
      const fresh = await capped.mx('dane.test');
      expect(fresh.cached).toBe(false);
      expect(fresh.ttl).toBeGreaterThan(11); // the record's TTL, capped only for the cache
      expect(await capped.mx('dane.test')).toMatchObject({ cached: true });
      now += 11_000;
      expect(await capped.mx('dane.test')).toMatchObject({ cached: false });
      expect(proxy.udp).toBe(5);
      const none = createDnssecResolver({ servers: [proxy.address], cache: false });
      await none.mx('dane.test');
      await none.mx('dane.test');
      expect(proxy.udp).toBe(7);
    } finally {
      await proxy.close();
    }
  });

  it('a resolver that does not validate (here: nsd itself) never yields secure', async () => {
    const r = createDnssecResolver({ servers: [stack.authoritative] });
    const mx = await r.mx('dane.test');
    expect(mx).toMatchObject({ status: 'insecure', kind: 'records' });
  });

  it('a silent second server is skipped: the first reply from a working one counts', async () => {
    const silent = await startDnsPeer('silent');
    try {
      const r = createDnssecResolver({ servers: [silent.address, stack.resolver], timeoutMs: 100 });
      const mx = await r.mx('dane.test');
      expect(mx).toMatchObject({ status: 'secure', server: stack.resolver });
      expect(silent.received).toBe(1);
    } finally {
      await silent.close();
    }
  });
});

describe('DNSSEC resolver against hostile peers', () => {
  it('a silent server: the lookup ends by its deadline as failed/timeout, never as "no records"', async () => {
    const silent = await startDnsPeer('silent');
    try {
      const r = createDnssecResolver({
        servers: [silent.address],
        timeoutMs: 100,
        tries: 10,
        deadlineMs: 250,
      });
      const started = Date.now();
      const answer = await r.tlsa('mx.dane.test');
      const elapsed = Date.now() - started;
      expect(answer).toMatchObject({
        status: 'failed',
        kind: 'error',
        failure: 'timeout',
        records: [],
        ttl: 0,
      });
      expect(answer.rcode).toBeUndefined();
      expect(elapsed).toBeGreaterThanOrEqual(240);
      expect(elapsed).toBeLessThan(800); // ten tries of 100 ms would take 1000 ms
      expect(silent.received).toBeGreaterThanOrEqual(2);
      expect(silent.received).toBeLessThanOrEqual(3);
    } finally {
      await silent.close();
    }
  });

  it('a silent server: the number of tries bounds the lookup before the deadline', async () => {
    const silent = await startDnsPeer('silent');
    try {
      const r = createDnssecResolver({
        servers: [silent.address],
        timeoutMs: 80,
        tries: 2,
        deadlineMs: 5000,
      });
      const started = Date.now();
      expect(await r.mx('dane.test')).toMatchObject({ status: 'failed', failure: 'timeout' });
      expect(Date.now() - started).toBeLessThan(1500); // the deadline would be 5000 ms
      expect(silent.received).toBe(2);
    } finally {
      await silent.close();
    }
  });

  it('replies that do not answer the question (other id, other name) are ignored: malformed, not records', async () => {
    const peer = await startDnsPeer('misanswering');
    try {
      const r = createDnssecResolver({ servers: [peer.address], timeoutMs: 100, tries: 1 });
      const answer = await r.a('mx.dane.test');
      expect(answer).toMatchObject({ status: 'failed', failure: 'malformed', records: [] });
    } finally {
      await peer.close();
    }
  });

  it("the caller's signal ends the wait: failed/aborted", async () => {
    const silent = await startDnsPeer('silent');
    try {
      const r = createDnssecResolver({ servers: [silent.address] });
      const answer = await r.mx('dane.test', { signal: AbortSignal.timeout(50) });
      expect(answer).toMatchObject({ status: 'failed', failure: 'aborted', records: [] });
    } finally {
      await silent.close();
    }
  });
});
