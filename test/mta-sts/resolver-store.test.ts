import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMtaStsResolver,
  FileMtaStsCacheStore,
  MemoryMtaStsCacheStore,
  type MtaStsCacheStore,
} from '../../src/mta-sts/index.js';
import { policyText } from './helpers.js';
import { DAY, type ResolverHarness, startResolverHarness } from './resolver-harness.js';

let h: ResolverHarness;
let dir: string;

beforeEach(async () => {
  h = await startResolverHarness();
  dir = await mkdtemp(join(tmpdir(), 'forced-tls-mta-sts-resolver-'));
});
afterEach(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('MTA-STS resolver with the file store', () => {
  it('a cached enforce policy survives a restart: a new instance applies it without DNS or HTTPS', async () => {
    const path = join(dir, 'mta-sts.json');
    h.publish('mandant.test', 'one', policyText('enforce', ['mx.mandant.test']));
    const first = h.resolver({ store: new FileMtaStsCacheStore(path) });
    expect(await first.resolve('mandant.test')).toMatchObject({ source: 'fetched' });
    await first.close();

    // The restarted process: new store instance, new resolver; the policy host is now unreachable.
    h.network.setHost('mta-sts.mandant.test', 'refused');
    h.advance(3_600_000);
    const calls = h.network.calls.length;
    const second = h.resolver({ store: new FileMtaStsCacheStore(path) });
    expect(await second.resolve('mandant.test')).toMatchObject({
      source: 'cached',
      mode: 'enforce',
      id: 'one',
      ageSeconds: 3600,
      policy: { mx: ['mx.mandant.test'] },
    });
    expect(h.network.calls.length).toBe(calls);
    // And a recheck that cannot reach the policy host keeps it in force.
    h.publish('mandant.test', 'two', policyText());
    h.network.setHost('mta-sts.mandant.test', 'refused');
    expect(await second.recheck('mandant.test')).toMatchObject({
      source: 'cached',
      mode: 'enforce',
      id: 'one',
      failure: { reason: 'connect_failed' },
    });
  });

  it('a renewal is written to the file', async () => {
    const path = join(dir, 'renew.json');
    h.publish('mandant.test', 'one', policyText());
    const resolver = h.resolver({ store: new FileMtaStsCacheStore(path) });
    await resolver.resolve('mandant.test');
    h.advance(DAY);
    await resolver.resolve('mandant.test');
    await resolver.idle();
    expect(await new FileMtaStsCacheStore(path).get('mandant.test')).toMatchObject({
      checkedAt: h.now().toISOString(),
    });
  });
});

describe('MTA-STS resolver: store failures and bad input', () => {
  const failing = (method: 'get' | 'set' | 'delete'): MtaStsCacheStore => {
    const inner = new MemoryMtaStsCacheStore();
    return {
      get: method === 'get' ? async () => Promise.reject(new Error('disk gone')) : (d) => inner.get(d),
      set: method === 'set' ? async () => Promise.reject(new Error('disk full')) : (e) => inner.set(e),
      delete: (d) => inner.delete(d),
    };
  };

  it('a store that cannot be read rejects with ESTORE (an enforce policy may be cached)', async () => {
    h.publish('mandant.test', '1', policyText());
    await expect(h.resolver({ store: failing('get') }).resolve('mandant.test')).rejects.toMatchObject({
      code: 'ESTORE',
      message: expect.stringContaining('disk gone'),
    });
  });

  it('a store that cannot be written rejects with ESTORE', async () => {
    h.publish('mandant.test', '1', policyText());
    await expect(h.resolver({ store: failing('set') }).resolve('mandant.test')).rejects.toMatchObject({
      code: 'ESTORE',
    });
  });

  it("a store answering with another domain's entry is refused", async () => {
    const inner = new MemoryMtaStsCacheStore();
    h.publish('other.test', '1', policyText());
    await h.resolver({ store: inner }).resolve('other.test');
    const confused: MtaStsCacheStore = {
      ...inner,
      get: () => inner.get('other.test'),
      set: (e) => inner.set(e),
      delete: (d) => inner.delete(d),
    };
    await expect(h.resolver({ store: confused }).resolve('mandant.test')).rejects.toMatchObject({
      code: 'ESTORE',
      path: 'domain',
    });
  });

  it('a background refresh that fails in the store is reported, and the cached policy stays', async () => {
    h.publish('mandant.test', '1', policyText());
    const inner = new MemoryMtaStsCacheStore();
    let refuseWrites = false;
    const store: MtaStsCacheStore = {
      get: (d) => inner.get(d),
      set: (e) => (refuseWrites ? Promise.reject(new Error('read-only')) : inner.set(e)),
      delete: (d) => inner.delete(d),
    };
    const errors: unknown[] = [];
    const resolver = h.resolver({ store, onRefreshError: (event) => errors.push(event.error) });
    await resolver.resolve('mandant.test');
    refuseWrites = true;
    h.advance(DAY);
    await resolver.resolve('mandant.test');
    await resolver.idle();
    expect(errors).toEqual([expect.objectContaining({ code: 'ESTORE' })]);
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'cached', mode: 'enforce' });
  });

  it('bad domains are EADDRESS', async () => {
    const resolver = h.resolver();
    await expect(resolver.resolve('not a domain')).rejects.toMatchObject({ code: 'EADDRESS' });
    await expect(resolver.recheck('')).rejects.toMatchObject({ code: 'EADDRESS' });
  });

  it.each([
    [
      'a resolver without resolveTxt',
      { resolver: { resolveMx: async () => [], resolve4: async () => [], resolve6: async () => [] } },
      'resolver',
    ],
    [
      'a store without delete()',
      { store: { get: async () => undefined, set: async () => undefined } as never },
      'store',
    ],
    ['refreshIntervalMs 0', { refreshIntervalMs: 0 }, 'refreshIntervalMs'],
    ['retryAfterFailureMs -1', { retryAfterFailureMs: -1 }, 'retryAfterFailureMs'],
    ['fetchTimeoutMs NaN', { fetchTimeoutMs: Number.NaN }, 'fetchTimeoutMs'],
    ['dnsTimeoutMs as a string', { dnsTimeoutMs: '10' as never }, 'dnsTimeoutMs'],
    ['an onRefreshError that is no function', { onRefreshError: 'log' as never }, 'onRefreshError'],
    ['a clock that is no function', { clock: new Date() as never }, 'clock'],
  ])('refuses %s at construction with EPOLICY', (_why, options, path) => {
    expect(() => createMtaStsResolver(options)).toThrow(expect.objectContaining({ code: 'EPOLICY', path }));
  });
});
