import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  createPostgresMtaStsCacheStore,
  type PostgresMtaStsCacheStore,
} from '../../src/stores/postgres/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { DAY, type ResolverHarness, startResolverHarness } from '../mta-sts/resolver-harness.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';

describe.skipIf(!postgresGate.available)('PostgreSQL MTA-STS policy cache shared by instances', () => {
  let server: TestPostgres;
  let h: ResolverHarness;
  const stores: PostgresMtaStsCacheStore[] = [];
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.destroy());
  beforeEach(async () => {
    h = await startResolverHarness();
  });
  afterEach(async () => {
    await h.close();
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  /** One instance's store: its own pg pool, on the shared table of `schema`. */
  const instance = (schema: string) => {
    const store = createPostgresMtaStsCacheStore({ connectionString: server.url, schema });
    stores.push(store);
    return store;
  };

  test('two stores on one database: what one sets or deletes, the other reads at once', async () => {
    const schema = uniqueSchema('two');
    const [a, b] = [instance(schema), instance(schema)];
    h.publish('mandant.test', 'one', policyText());
    await h.resolver({ store: a }).resolve('mandant.test');
    const written = await a.get('mandant.test');
    expect(written).toMatchObject({ domain: 'mandant.test', id: 'one', policy: { mode: 'enforce' } });
    expect(await b.get('mandant.test')).toEqual(written);
    expect(await b.list()).toEqual([written]);
    expect(await b.delete('mandant.test')).toBe(true);
    expect(await a.get('mandant.test')).toBeUndefined();
    expect(await a.delete('mandant.test')).toBe(false);
  });

  test('a second instance applies the policy the first fetched: no HTTPS fetch, no DNS lookup of its own', async () => {
    const schema = uniqueSchema('share');
    h.publish('mandant.test', 'one', policyText('enforce', ['mx.mandant.test']));
    const first = h.resolver({ store: instance(schema) });
    expect(await first.resolve('mandant.test')).toMatchObject({ source: 'fetched', id: 'one' });
    expect(h.fetches('mandant.test')).toBe(1);
    expect(h.txtLookups('mandant.test')).toBe(1);

    h.advance(3_600_000);
    const second = h.resolver({ store: instance(schema) });
    expect(await second.resolve('mandant.test')).toMatchObject({
      source: 'cached',
      mode: 'enforce',
      id: 'one',
      ageSeconds: 3600,
      policy: { mx: ['mx.mandant.test'] },
    });
    // Counted at the policy host and the DNS: the second instance asked neither.
    expect(h.fetches('mandant.test')).toBe(1);
    expect(h.policyHost.handshakes).toBe(1);
    expect(h.txtLookups('mandant.test')).toBe(1);
  });

  test('a policy one instance re-fetched under a new id is the one every other instance applies next, without fetching', async () => {
    const schema = uniqueSchema('newid');
    h.publish('mandant.test', 'one', policyText('enforce', ['mx1.mandant.test']));
    const a = h.resolver({ store: instance(schema) });
    const b = h.resolver({ store: instance(schema) });
    await a.resolve('mandant.test');
    expect(await b.resolve('mandant.test')).toMatchObject({ source: 'cached', id: 'one' });

    // The recipient moves its MX and publishes a new id; instance A re-checks (RFC 8461 §5.1).
    h.publish('mandant.test', 'two', policyText('enforce', ['mx2.mandant.test']));
    h.advance(60_000);
    expect(await a.recheck('mandant.test')).toMatchObject({ source: 'fetched', id: 'two', changed: true });
    expect(h.fetches('mandant.test')).toBe(2);

    expect(await b.resolve('mandant.test')).toMatchObject({
      source: 'cached',
      id: 'two',
      policy: { mx: ['mx2.mandant.test'] },
    });
    expect(h.fetches('mandant.test')).toBe(2);
    expect(h.txtLookups('mandant.test')).toBe(2);
  });

  test('a renewal by one instance (same id, a day later) restarts the lifetime for all; the others stop refreshing', async () => {
    const schema = uniqueSchema('renew');
    h.publish('mandant.test', 'one', policyText('enforce', ['mx.mandant.test'], 2 * 86_400));
    const a = h.resolver({ store: instance(schema) });
    const b = h.resolver({ store: instance(schema) });
    await a.resolve('mandant.test');
    h.advance(DAY);
    // Due for the daily refresh: A renews in the background (a TXT lookup, no fetch).
    await a.resolve('mandant.test');
    await a.idle();
    expect(h.txtLookups('mandant.test')).toBe(2);
    expect(h.fetches('mandant.test')).toBe(1);
    // B reads the renewed entry: confirmed just now, so no refresh of its own is due.
    const seen = await b.resolve('mandant.test');
    await b.idle();
    expect(seen).toMatchObject({ source: 'cached', checkedAt: h.now().toISOString(), refreshing: false });
    expect(h.txtLookups('mandant.test')).toBe(2);
    expect(Date.parse(seen.expiresAt!)).toBe(h.now().getTime() + 2 * DAY);
  });
});
