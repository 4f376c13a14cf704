import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { policyText } from './helpers.js';
import { DAY, type ResolverHarness, startResolverHarness } from './resolver-harness.js';

let h: ResolverHarness;

beforeEach(async () => {
  h = await startResolverHarness();
});
afterEach(async () => {
  await h.close();
});

describe('MTA-STS resolver: single flight', () => {
  it('100 concurrent resolutions of a new domain make exactly one TXT lookup and one fetch', async () => {
    h.publish('mandant.test', '1', policyText());
    const resolver = h.resolver();
    const results = await Promise.all(Array.from({ length: 100 }, () => resolver.resolve('mandant.test')));
    expect([h.txtLookups('mandant.test'), h.fetches('mandant.test'), h.policyHost.handshakes]).toEqual([
      1, 1, 1,
    ]);
    expect(new Set(results.map((r) => r.source))).toEqual(new Set(['fetched']));
    expect(results.every((r) => r.mode === 'enforce')).toBe(true);
  });

  it('concurrent resolutions of different spellings of one domain share the flight', async () => {
    h.publish('mandant.test', '1', policyText());
    const resolver = h.resolver();
    await Promise.all(['mandant.test', 'MANDANT.test', 'mandant.test.'].map((d) => resolver.resolve(d)));
    expect([h.txtLookups('mandant.test'), h.fetches('mandant.test')]).toEqual([1, 1]);
  });

  it('100 concurrent resolutions when the refresh is due start one background refresh', async () => {
    h.publish('mandant.test', 'one', policyText());
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    h.publish('mandant.test', 'two', policyText('enforce', ['mx2.mandant.test']));
    h.advance(DAY);
    const results = await Promise.all(Array.from({ length: 100 }, () => resolver.resolve('mandant.test')));
    expect(results.every((r) => r.source === 'cached' && r.id === 'one')).toBe(true);
    await resolver.idle();
    expect([h.txtLookups('mandant.test'), h.fetches('mandant.test')]).toEqual([2, 2]);
    expect(await resolver.resolve('mandant.test')).toMatchObject({ id: 'two' });
  });

  it('a failing new domain: 100 concurrent resolutions still make one lookup and one fetch', async () => {
    h.publish('broken.test', '1', { status: 503 });
    const resolver = h.resolver();
    const results = await Promise.all(Array.from({ length: 100 }, () => resolver.resolve('broken.test')));
    expect(results.every((r) => r.source === 'none' && r.failure?.reason === 'http_status')).toBe(true);
    expect([h.txtLookups('broken.test'), h.fetches('broken.test')]).toEqual([1, 1]);
  });
});

describe('MTA-STS resolver: recheck before a permanent failure (RFC 8461 §5.1)', () => {
  it('an unchanged id: renewed, not changed, no fetch', async () => {
    h.publish('mandant.test', 'one', policyText());
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    expect(await resolver.recheck('mandant.test')).toMatchObject({
      source: 'renewed',
      id: 'one',
      previousId: 'one',
      changed: false,
      txt: { status: 'found', id: 'one' },
    });
    expect([h.txtLookups('mandant.test'), h.fetches('mandant.test')]).toEqual([2, 1]);
  });

  it('a changed id: the new policy is fetched at once and reported as changed', async () => {
    h.publish('mandant.test', 'one', policyText('enforce', ['old.mandant.test']));
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    h.publish('mandant.test', 'two', policyText('enforce', ['new.mandant.test']));
    const again = await resolver.recheck('mandant.test');
    expect(again).toMatchObject({
      source: 'fetched',
      id: 'two',
      previousId: 'one',
      changed: true,
      policy: { mx: ['new.mandant.test'] },
    });
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'cached', id: 'two' });
  });

  it('without a cached policy: previousId absent; a new policy counts as changed', async () => {
    const resolver = h.resolver();
    expect(await resolver.recheck('mandant.test')).toMatchObject({ source: 'none', changed: false });
    h.publish('mandant.test', 'one', policyText());
    const found = await resolver.recheck('mandant.test');
    expect(found).toMatchObject({ source: 'fetched', changed: true });
    expect(found.previousId).toBeUndefined();
  });

  it('concurrent rechecks share one fresh lookup that starts after a lookup already running', async () => {
    h.publish('mandant.test', 'one', policyText());
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    h.advance(DAY);
    await resolver.resolve('mandant.test'); // starts a background refresh (lookup 2)
    const rechecks = await Promise.all(Array.from({ length: 10 }, () => resolver.recheck('mandant.test')));
    await resolver.idle();
    expect(rechecks.every((r) => r.source === 'renewed')).toBe(true);
    expect(h.txtLookups('mandant.test')).toBe(3);
  });

  it('a fetch that failed for an id is not retried for that id within retryAfterFailureMs', async () => {
    h.publish('mandant.test', 'one', policyText());
    const resolver = h.resolver({ retryAfterFailureMs: 300_000 });
    await resolver.resolve('mandant.test');
    h.publish('mandant.test', 'two', { status: 500 });
    const first = await resolver.recheck('mandant.test');
    expect(first).toMatchObject({
      source: 'cached',
      id: 'one',
      changed: false,
      failure: { reason: 'http_status', id: 'two' },
    });
    h.advance(60_000);
    const second = await resolver.recheck('mandant.test');
    expect(second.failure).toEqual(first.failure);
    expect(h.fetches('mandant.test')).toBe(2);
    h.advance(240_000);
    h.publish('mandant.test', 'two', policyText('enforce', ['fixed.mandant.test']));
    expect(await resolver.recheck('mandant.test')).toMatchObject({
      source: 'fetched',
      id: 'two',
      changed: true,
    });
    expect(h.fetches('mandant.test')).toBe(3);
  });

  it('a new id is fetched at once even right after a failed fetch of another id', async () => {
    h.publish('mandant.test', 'one', { status: 500 });
    const resolver = h.resolver();
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'none', failure: { id: 'one' } });
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'none', failure: { id: 'one' } });
    expect(h.fetches('mandant.test')).toBe(1);
    h.publish('mandant.test', 'two', policyText());
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'fetched', id: 'two' });
  });

  it('a failed background refresh is not retried on every send, only after retryAfterFailureMs', async () => {
    h.publish('mandant.test', 'one', policyText());
    const resolver = h.resolver({ retryAfterFailureMs: 600_000 });
    await resolver.resolve('mandant.test');
    h.network.setDomain('_mta-sts.mandant.test', 'servfail');
    h.advance(DAY);
    for (let i = 0; i < 5; i++) {
      await resolver.resolve('mandant.test');
      await resolver.idle();
      h.advance(60_000);
    }
    expect(h.txtLookups('mandant.test')).toBe(2);
    h.advance(600_000);
    await resolver.resolve('mandant.test');
    await resolver.idle();
    expect(h.txtLookups('mandant.test')).toBe(3);
  });
});
