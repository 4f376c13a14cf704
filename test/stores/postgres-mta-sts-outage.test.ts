import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import type { MtaStsCacheEntry } from '../../src/mta-sts/index.js';
import {
  createPostgresMtaStsCacheStore,
  type PostgresMtaStsCacheStore,
} from '../../src/stores/postgres/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { type ResolverHarness, startResolverHarness } from '../mta-sts/resolver-harness.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const TIMEOUT_MS = 300;

/** What a call rejected with, as `ESTORE transient` / `ESTORE permanent`, with the error. */
async function failure(call: Promise<unknown>): Promise<{ kind: string; error: unknown }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isForcedTlsError(error)) return { kind: `no ForcedTlsError: ${String(error)}`, error };
  return { kind: `${error.code} ${error.transient ? 'transient' : 'permanent'}`, error };
}

describe.skipIf(!postgresGate.available)('PostgreSQL MTA-STS policy cache when the database fails', () => {
  let server: TestPostgres;
  let h: ResolverHarness;
  let proxy: TcpProxy;
  const stores: PostgresMtaStsCacheStore[] = [];
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.destroy());
  beforeEach(async () => {
    h = await startResolverHarness();
    proxy = await startTcpProxy(server.port);
  });
  afterEach(async () => {
    await h.close();
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await proxy.close();
  });
  const open = (schema: string, url = server.url) => {
    const store = createPostgresMtaStsCacheStore({
      connectionString: url,
      schema,
      operationTimeoutMs: TIMEOUT_MS,
    });
    stores.push(store);
    return store;
  };
  const throughProxy = (schema: string) =>
    open(schema, `postgres://postgres@127.0.0.1:${proxy.port}/postgres`);

  test.each(['reset', 'blackhole'] as const)(
    'unreachable (%s): get, set, delete and list fail with a transient ESTORE within operationTimeoutMs; reachable again, the store works on',
    async (how) => {
      const schema = uniqueSchema(how);
      const store = throughProxy(schema);
      h.publish('mandant.test', 'one', policyText());
      await h.resolver({ store }).resolve('mandant.test');
      const cached = (await store.get('mandant.test')) as MtaStsCacheEntry;

      proxy.cut(how);
      const calls: Record<string, () => Promise<unknown>> = {
        get: () => store.get('mandant.test'),
        set: () => store.set({ ...cached, domain: 'other.test' }),
        delete: () => store.delete('mandant.test'),
        list: () => store.list(),
      };
      for (const [name, call] of Object.entries(calls)) {
        const started = Date.now();
        const { kind, error } = await failure(call());
        const took = Date.now() - started;
        expect(kind, name).toBe('ESTORE transient');
        expect((error as Error).message, name).toMatch(
          /^PostgreSQL MTA-STS policy cache t?[a-z_0-9]+\.mta_sts_policies: /,
        );
        // The deadline counts from the call: a silent network cannot hold a resolution longer.
        expect(took, name).toBeLessThan(TIMEOUT_MS + 400);
      }

      proxy.restore();
      expect(await store.get('mandant.test')).toEqual(cached);
      expect(await store.get('other.test')).toBeUndefined();
    },
  );

  test.each(['reset', 'blackhole'] as const)(
    'unreachable (%s): the resolver fails closed with ESTORE, never "no policy", and neither looks up DNS nor fetches',
    async (how) => {
      const schema = uniqueSchema(`r${how}`);
      h.publish('mandant.test', 'one', policyText('enforce', ['mx.mandant.test']));
      await h.resolver({ store: open(schema) }).resolve('mandant.test');
      const [lookups, fetches] = [h.txtLookups('mandant.test'), h.fetches('mandant.test')];

      const resolver = h.resolver({ store: throughProxy(schema) });
      proxy.cut(how);
      for (const call of [() => resolver.resolve('mandant.test'), () => resolver.recheck('mandant.test')]) {
        const { kind, error } = await failure(call());
        expect(kind).toBe('ESTORE transient');
        expect((error as Error).message).toContain('get(mandant.test) failed');
      }
      // A new domain too: without the store it cannot be known that nothing is cached.
      h.publish('neu.test', 'one', policyText());
      expect((await failure(resolver.resolve('neu.test'))).kind).toBe('ESTORE transient');
      expect(h.txtLookups('mandant.test')).toBe(lookups);
      expect(h.fetches('mandant.test')).toBe(fetches);
      expect(h.txtLookups('neu.test') + h.fetches('neu.test')).toBe(0);

      proxy.restore();
      expect(await resolver.resolve('mandant.test')).toMatchObject({
        source: 'cached',
        mode: 'enforce',
        id: 'one',
      });
    },
  );

  test('the server stopped: ESTORE (transient) at once; restarted, the cached policy is there and applies without a fetch', async () => {
    const schema = uniqueSchema('stop');
    const store = open(schema);
    h.publish('mandant.test', 'one', policyText());
    const resolver = h.resolver({ store });
    await resolver.resolve('mandant.test');
    await server.stop();
    try {
      const started = Date.now();
      expect((await failure(resolver.resolve('mandant.test'))).kind).toBe('ESTORE transient');
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 400);
    } finally {
      await server.start();
    }
    expect(await resolver.resolve('mandant.test')).toMatchObject({ source: 'cached', id: 'one' });
    expect(h.fetches('mandant.test')).toBe(1);
  });

  test('a role that may read but not write: the fetched policy cannot be cached, and the resolver rejects with a permanent ESTORE', async () => {
    const schema = uniqueSchema('ro');
    await open(schema).ready();
    await server.sql(`DROP ROLE IF EXISTS sts_reader`);
    await server.sql(`CREATE ROLE sts_reader LOGIN`);
    await server.sql(`GRANT USAGE ON SCHEMA "${schema}" TO sts_reader`);
    await server.sql(
      `GRANT SELECT ON "${schema}".mta_sts_policies, "${schema}".mta_sts_policies_migrations TO sts_reader`,
    );
    const reader = open(schema, `postgres://sts_reader@127.0.0.1:${server.port}/postgres`);
    h.publish('mandant.test', 'one', policyText());
    const { kind, error } = await failure(h.resolver({ store: reader }).resolve('mandant.test'));
    expect(kind).toBe('ESTORE permanent');
    expect((error as Error).message).toMatch(/set\(mandant\.test\) failed: permission denied/);
    expect(await reader.get('mandant.test')).toBeUndefined();
  });
});
