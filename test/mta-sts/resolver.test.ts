import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryMtaStsCacheStore, type MtaStsRefreshError } from '../../src/mta-sts/index.js';
import { policyText } from './helpers.js';
import { DAY, HOUR, type ResolverHarness, START, startResolverHarness } from './resolver-harness.js';

let h: ResolverHarness;

beforeEach(async () => {
  h = await startResolverHarness();
});
afterEach(async () => {
  await h.close();
});

describe('MTA-STS resolver: discovery and provenance', () => {
  it('a new domain: fetched now, with id, times and the TXT lookup', async () => {
    h.publish('mandant.test', '20260115', policyText('enforce', ['mx.mandant.test'], 604_800));
    const store = new MemoryMtaStsCacheStore();
    const found = await h.resolver({ store }).resolve('Mandant.TEST.');
    expect(found).toEqual({
      domain: 'mandant.test',
      source: 'fetched',
      mode: 'enforce',
      policy: expect.objectContaining({ mode: 'enforce', maxAge: 604_800, mx: ['mx.mandant.test'] }),
      id: '20260115',
      fetchedAt: START.toISOString(),
      checkedAt: START.toISOString(),
      expiresAt: new Date(START.getTime() + 604_800_000).toISOString(),
      ageSeconds: 0,
      txt: expect.objectContaining({ status: 'found', id: '20260115' }),
      refreshing: false,
      resolvedAt: START.toISOString(),
    });
    expect(await store.get('mandant.test')).toMatchObject({ id: '20260115', policy: { mode: 'enforce' } });
  });

  it('a valid cached policy: cached, how old, and no DNS or HTTPS', async () => {
    h.publish('mandant.test', '1', policyText());
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    h.advance(5 * HOUR);
    const cached = await resolver.resolve('mandant.test');
    expect(cached).toMatchObject({
      source: 'cached',
      mode: 'enforce',
      id: '1',
      ageSeconds: 5 * 3600,
      refreshing: false,
    });
    expect(cached.txt).toBeUndefined();
    expect([h.txtLookups('mandant.test'), h.fetches('mandant.test')]).toEqual([1, 1]);
  });

  it('no TXT record: none, and no fetch', async () => {
    const found = await h.resolver().resolve('plain.test');
    expect(found).toMatchObject({ source: 'none', mode: 'none', txt: { status: 'not_found' } });
    expect(found.policy).toBeUndefined();
    expect(found.failure).toBeUndefined();
    expect(h.fetches('plain.test')).toBe(0);
  });

  it('two TXT records: none, and no fetch', async () => {
    h.publish('two.test', '1', policyText());
    h.network.setDomain('_mta-sts.two.test', { txt: ['v=STSv1; id=1', 'v=STSv1; id=2'] });
    expect(await h.resolver().resolve('two.test')).toMatchObject({
      source: 'none',
      txt: { status: 'multiple' },
    });
    expect(h.fetches('two.test')).toBe(0);
  });

  it('a bad id: none, and no fetch', async () => {
    h.publish('badid.test', '1', policyText());
    h.network.setDomain('_mta-sts.badid.test', { txt: ['v=STSv1; id=bad_id'] });
    expect(await h.resolver().resolve('badid.test')).toMatchObject({
      source: 'none',
      txt: { status: 'invalid' },
    });
    expect(h.fetches('badid.test')).toBe(0);
  });

  it.each(['testing', 'none'] as const)('mode %s is fetched, cached and reported as such', async (mode) => {
    h.publish('mode.test', '1', policyText(mode));
    const resolver = h.resolver();
    expect(await resolver.resolve('mode.test')).toMatchObject({ source: 'fetched', mode, policy: { mode } });
    expect(await resolver.resolve('mode.test')).toMatchObject({ source: 'cached', mode });
  });

  it('max_age 0 expires at once: applied to that resolution, not stored, fetched again next time', async () => {
    h.publish('zero.test', '1', policyText('enforce', ['mx.zero.test'], 0));
    const store = new MemoryMtaStsCacheStore();
    const resolver = h.resolver({ store });
    const first = await resolver.resolve('zero.test');
    expect(first).toMatchObject({ source: 'fetched', mode: 'enforce', expiresAt: START.toISOString() });
    expect(await store.get('zero.test')).toBeUndefined();
    expect(await resolver.resolve('zero.test')).toMatchObject({ source: 'fetched' });
    expect(h.fetches('zero.test')).toBe(2);
  });

  it('max_age 31557601: the policy is invalid, so none, with an sts-policy-invalid failure', async () => {
    h.publish('year.test', '1', policyText('enforce', ['mx.year.test'], 31_557_601));
    expect(await h.resolver().resolve('year.test')).toMatchObject({
      source: 'none',
      failure: { reason: 'policy_invalid', resultType: 'sts-policy-invalid', field: 'max_age', id: '1' },
    });
  });

  it('a subdomain recipient never uses, nor looks up, the parent policy', async () => {
    h.publish('mandant.test', '1', policyText());
    const resolver = h.resolver();
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'fetched', mode: 'enforce' });
    const before = h.network.calls.length;
    const sub = await resolver.resolve('mail.mandant.test');
    expect(sub).toMatchObject({ domain: 'mail.mandant.test', source: 'none', mode: 'none' });
    expect(h.network.calls.slice(before)).toEqual([
      { method: 'resolveTxt', name: '_mta-sts.mail.mandant.test' },
    ]);
    expect([h.txtLookups('mandant.test'), h.fetches('mandant.test'), h.fetches('mail.mandant.test')]).toEqual(
      [1, 1, 0],
    );
  });

  it('a stalled policy server ends by the fetch deadline: none, with a timeout failure', async () => {
    h.publish('slow.test', '1', { body: policyText(), stall: 'response' });
    const started = Date.now();
    const found = await h.resolver({ fetchTimeoutMs: 300 }).resolve('slow.test');
    expect(found).toMatchObject({
      source: 'none',
      failure: { reason: 'timeout', resultType: 'sts-policy-fetch-error' },
    });
    expect(Date.now() - started).toBeLessThan(300 + 500);
  });
});

describe('MTA-STS resolver: cache rules', () => {
  it('a changed TXT id is fetched anew when the daily refresh sees it', async () => {
    h.publish('mandant.test', 'one', policyText('testing', ['old.mandant.test']));
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    h.publish('mandant.test', 'two', policyText('enforce', ['new.mandant.test']));
    h.advance(DAY);
    expect(await resolver.resolve('mandant.test')).toMatchObject({
      source: 'cached',
      id: 'one',
      refreshing: true,
    });
    await resolver.idle();
    expect(await resolver.resolve('mandant.test')).toMatchObject({
      source: 'cached',
      id: 'two',
      mode: 'enforce',
      policy: { mx: ['new.mandant.test'] },
      ageSeconds: 0,
    });
    expect(h.fetches('mandant.test')).toBe(2);
  });

  it('a changed TXT id after expiry: fetched before the resolution returns', async () => {
    h.publish('mandant.test', 'one', policyText('enforce', ['old.mandant.test'], 3_600));
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    h.publish('mandant.test', 'two', policyText('enforce', ['new.mandant.test'], 3_600));
    h.advance(HOUR);
    expect(await resolver.resolve('mandant.test')).toMatchObject({
      source: 'fetched',
      id: 'two',
      policy: { mx: ['new.mandant.test'] },
    });
  });

  it('the daily refresh with an unchanged id renews the policy without a fetch', async () => {
    h.publish('mandant.test', '1', policyText('enforce', ['mx.mandant.test'], 7 * 86_400));
    const store = new MemoryMtaStsCacheStore();
    const resolver = h.resolver({ store });
    await resolver.resolve('mandant.test');
    h.advance(DAY);
    await resolver.resolve('mandant.test');
    await resolver.idle();
    const refreshedAt = new Date(START.getTime() + DAY);
    expect(await store.get('mandant.test')).toMatchObject({
      fetchedAt: START.toISOString(),
      checkedAt: refreshedAt.toISOString(),
      expiresAt: new Date(refreshedAt.getTime() + 7 * DAY).toISOString(),
    });
    expect([h.txtLookups('mandant.test'), h.fetches('mandant.test')]).toEqual([2, 1]);
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'cached', ageSeconds: 86_400 });
  });

  it('the proactive refresh runs at most once per day', async () => {
    h.publish('mandant.test', '1', policyText('enforce', ['mx.mandant.test'], 30 * 86_400));
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    for (let hour = 1; hour <= 72; hour++) {
      h.advance(HOUR);
      await resolver.resolve('mandant.test');
      await resolver.idle();
    }
    // The fetch, then one renewal after each of the three days.
    expect([h.txtLookups('mandant.test'), h.fetches('mandant.test')]).toEqual([4, 1]);
  });

  it('a fetch failure keeps a valid cached enforce policy in force, and says it is cached', async () => {
    h.publish('mandant.test', 'one', policyText('enforce', ['mx.mandant.test']));
    const events: MtaStsRefreshError[] = [];
    const resolver = h.resolver({ onRefreshError: (event) => events.push(event) });
    await resolver.resolve('mandant.test');
    h.publish('mandant.test', 'two', { status: 500, body: 'broken' });
    h.advance(DAY);
    await resolver.resolve('mandant.test');
    await resolver.idle();
    const after = await resolver.resolve('mandant.test');
    expect(after).toMatchObject({
      source: 'cached',
      mode: 'enforce',
      id: 'one',
      policy: { mx: ['mx.mandant.test'] },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      domain: 'mandant.test',
      cached: { id: 'one' },
      resolution: { source: 'cached', failure: { reason: 'http_status', httpStatus: 500, id: 'two' } },
    });
  });

  it.each([
    ['SERVFAIL', 'servfail', 'dns_error'],
    ['a DNS timeout', 'timeout', 'dns_error'],
  ] as const)('%s keeps a valid cached enforce policy in force', async (_name, answer, reason) => {
    h.publish('mandant.test', 'one', policyText());
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    h.network.setDomain('_mta-sts.mandant.test', answer);
    const again = await resolver.recheck('mandant.test');
    expect(again).toMatchObject({
      source: 'cached',
      mode: 'enforce',
      id: 'one',
      changed: false,
      failure: { reason },
    });
  });

  it('a TXT record that vanished keeps a valid cached policy until it expires (RFC 8461 §3.3)', async () => {
    h.publish('mandant.test', 'one', policyText('enforce', ['mx.mandant.test'], 2 * 86_400));
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    h.network.setDomain('_mta-sts.mandant.test', 'nxdomain');
    expect(await resolver.recheck('mandant.test')).toMatchObject({
      source: 'cached',
      mode: 'enforce',
      txt: { status: 'not_found' },
    });
    h.advance(2 * DAY);
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'none', mode: 'none' });
  });

  it('an expired cached policy is not applied when the refresh fails, and is removed', async () => {
    h.publish('mandant.test', 'one', policyText('enforce', ['mx.mandant.test'], 3_600));
    const store = new MemoryMtaStsCacheStore();
    const resolver = h.resolver({ store });
    await resolver.resolve('mandant.test');
    h.publish('mandant.test', 'two', { body: 'gone', contentType: 'text/html' });
    h.advance(HOUR);
    expect(await resolver.resolve('mandant.test')).toMatchObject({
      source: 'none',
      mode: 'none',
      failure: { reason: 'content_type' },
    });
    expect(await store.get('mandant.test')).toBeUndefined();
  });

  it('forget() purges a cached policy; the next resolution fetches', async () => {
    h.publish('mandant.test', '1', policyText());
    const resolver = h.resolver();
    await resolver.resolve('mandant.test');
    expect(await resolver.forget('mandant.test')).toBe(true);
    expect(await resolver.forget('mandant.test')).toBe(false);
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'fetched' });
    expect(h.fetches('mandant.test')).toBe(2);
  });
});
