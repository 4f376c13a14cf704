import pg from 'pg';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import type { MtaStsCacheEntry, MtaStsCacheStore } from '../../src/mta-sts/index.js';
import {
  createPostgresMtaStsCacheStore,
  createPostgresWhitelistStore,
  POSTGRES_MTA_STS_SCHEMA_VERSION,
  POSTGRES_MTA_STS_TABLE,
  type PostgresMtaStsCacheStore,
  type PostgresMtaStsCacheStoreOptions,
} from '../../src/stores/postgres/index.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';

const ENTRY: MtaStsCacheEntry = {
  domain: 'mandant.test',
  id: 'abc123',
  policy: {
    version: 'STSv1',
    mode: 'enforce',
    maxAge: 86_400,
    mx: ['mx.mandant.test', '*.mx.mandant.test'],
    lines: [
      'version: STSv1',
      'mode: enforce',
      'mx: mx.mandant.test',
      'mx: *.mx.mandant.test',
      'max_age: 86400',
    ],
  },
  fetchedAt: '2026-01-15T09:30:00.000Z',
  checkedAt: '2026-01-16T09:30:00.000Z',
  expiresAt: '2026-01-17T09:30:00.000Z',
};

/** What a call threw or rejected with: `code path` of a ForcedTlsError (`-`: the whole entry), else the error's text. */
async function refusal(call: () => unknown): Promise<string> {
  try {
    await call();
    return 'no error';
  } catch (error) {
    if (!isForcedTlsError(error)) return `not a ForcedTlsError: ${String(error)}`;
    return `${error.code} ${error.path || '-'}`;
  }
}

describe('forced-tls/stores/postgres MTA-STS cache types and options', () => {
  test('the store is an MtaStsCacheStore with list() and close(); a pg.Pool is accepted as it is', () => {
    expectTypeOf(createPostgresMtaStsCacheStore).returns.toEqualTypeOf<PostgresMtaStsCacheStore>();
    expectTypeOf<PostgresMtaStsCacheStore>().toExtend<Required<MtaStsCacheStore>>();
    expectTypeOf<{ pool: pg.Pool }>().toExtend<PostgresMtaStsCacheStoreOptions>();
    expect(POSTGRES_MTA_STS_TABLE).toBe('mta_sts_policies');
    expect(POSTGRES_MTA_STS_SCHEMA_VERSION).toBe(1);
  });

  test.each([
    ['no options', undefined, 'options'],
    ['null', null, 'options'],
    ['neither pool nor connectionString', {}, 'pool'],
    ['both', { pool: new pg.Pool(), connectionString: 'postgres://x@127.0.0.1/db' }, 'pool'],
    ['an unknown option (a typo)', { connectionString: 'postgres://x@127.0.0.1/db', tabel: 'x' }, 'tabel'],
    ['a pool that is no pool', { pool: { query: () => undefined } }, 'pool'],
    ['an empty connection string', { connectionString: '' }, 'connectionString'],
    [
      'a connection string that is no string',
      { connectionString: new URL('postgres://x@h/db') },
      'connectionString',
    ],
    ['a schema with capitals', { connectionString: 'postgres://h/db', schema: 'Kanzlei' }, 'schema'],
    ['a table with a quote', { connectionString: 'postgres://h/db', table: 'x"; DROP' }, 'table'],
    [
      'a table too long for <table>_migrations',
      { connectionString: 'postgres://h/db', table: 'a'.repeat(53) },
      'table',
    ],
    ['a BigInt schema', { connectionString: 'postgres://h/db', schema: 1n }, 'schema'],
    ['maxConnections 0', { connectionString: 'postgres://h/db', maxConnections: 0 }, 'maxConnections'],
    [
      'operationTimeoutMs 5',
      { connectionString: 'postgres://h/db', operationTimeoutMs: 5 },
      'operationTimeoutMs',
    ],
    [
      'operationTimeoutMs NaN',
      { connectionString: 'postgres://h/db', operationTimeoutMs: Number.NaN },
      'operationTimeoutMs',
    ],
    ['autoMigrate "yes"', { connectionString: 'postgres://h/db', autoMigrate: 'yes' }, 'autoMigrate'],
    [
      'a getter that throws',
      Object.defineProperty({ connectionString: 'postgres://h/db' }, 'schema', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      }),
      'schema',
    ],
    [
      'a revoked proxy',
      (() => {
        const p = Proxy.revocable({}, {});
        p.revoke();
        return p.proxy;
      })(),
      'options',
    ],
  ])('refuses %s at construction with EPOLICY naming the field', async (_why, options, path) => {
    expect(await refusal(() => createPostgresMtaStsCacheStore(options as never))).toBe(`EPOLICY ${path}`);
  });

  test('a connection string is never echoed in an error', () => {
    const secret = 'postgres://app:S3cr3t-Passw0rt@db.kanzlei.example/db';
    for (const options of [
      { connectionString: secret, schema: 'Bad' },
      { connectionString: secret, pool: {} },
    ]) {
      try {
        createPostgresMtaStsCacheStore(options as never);
        expect.unreachable();
      } catch (error) {
        expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain('S3cr3t');
        expect((error as Error).message).not.toContain('S3cr3t');
      }
    }
  });
});

describe.skipIf(!postgresGate.available)(
  'PostgreSQL MTA-STS policy cache: schema, constraints, bad input',
  () => {
    let server: TestPostgres;
    const stores: PostgresMtaStsCacheStore[] = [];
    beforeAll(async () => {
      server = await startTestPostgres();
    });
    afterAll(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await server?.destroy();
    });
    const open = (schema: string, extra: Partial<PostgresMtaStsCacheStoreOptions> = {}) => {
      const store = createPostgresMtaStsCacheStore({ connectionString: server.url, schema, ...extra });
      stores.push(store);
      return store;
    };
    const sqlError = (text: string, values?: unknown[]) =>
      server.sql(text, values).then(
        () => undefined,
        (error: { code?: string; message?: string }) => `${error.code} ${error.message}`,
      );

    test('migrate() is versioned and idempotent; ten stores starting at once on a new schema migrate it once', async () => {
      const first = open(uniqueSchema('mig'));
      expect(await first.migrate()).toEqual({ from: 0, to: 1 });
      expect(await first.migrate()).toEqual({ from: 1, to: 1 });
      const racing = uniqueSchema('race');
      const many = Array.from({ length: 10 }, () => open(racing));
      await Promise.all(many.map((s, i) => (i % 2 === 0 ? s.ready() : s.get('mandant.test'))));
      expect(
        await server.sql(`SELECT version, description FROM "${racing}".mta_sts_policies_migrations`),
      ).toEqual([{ version: 1, description: 'MTA-STS policies by domain' }]);
    });

    test('a whitelist store and an MTA-STS cache starting at once on one new schema both migrate (one lock per schema)', async () => {
      const schema = uniqueSchema('both');
      const whitelists = Array.from({ length: 4 }, () =>
        createPostgresWhitelistStore({ connectionString: server.url, schema }),
      );
      try {
        const caches = Array.from({ length: 4 }, () => open(schema));
        await Promise.all([...whitelists.map((w) => w.ready()), ...caches.map((c) => c.ready())]);
        const tables = await server.sql<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
          [schema],
        );
        expect(tables.map((t) => t.table_name)).toEqual([
          'mta_sts_policies',
          'mta_sts_policies_migrations',
          'whitelist',
          'whitelist_audit',
          'whitelist_migrations',
          'whitelist_state',
        ]);
      } finally {
        await Promise.all(whitelists.map((w) => w.close()));
      }
    });

    test('autoMigrate: false checks the version and names the fix; a schema newer than this release is refused', async () => {
      const schema = uniqueSchema('nomig');
      const store = open(schema, { autoMigrate: false });
      for (const call of [() => store.ready(), () => store.get('mandant.test'), () => store.set(ENTRY)]) {
        const error = await (async () => call())().catch((e: unknown) => e);
        expect(isForcedTlsError(error) && !error.transient && error.code).toBe('ESTORE');
        expect((error as Error).message).toBe(
          `PostgreSQL MTA-STS policy cache ${schema}.mta_sts_policies: has schema version 0, this release needs 1; run store.migrate() with a role that may create tables, or set autoMigrate: true`,
        );
      }
      expect(await server.sql(`SELECT to_regclass('"${schema}".mta_sts_policies') AS t`)).toEqual([
        { t: null },
      ]);
      await store.migrate();
      await store.set(ENTRY);
      expect(await open(schema, { autoMigrate: false }).get('mandant.test')).toEqual(ENTRY);
      await server.sql(
        `INSERT INTO "${schema}".mta_sts_policies_migrations (version, description) VALUES (7, 'future')`,
      );
      const future = await open(schema)
        .ready()
        .catch((e: unknown) => e);
      expect((future as Error).message).toContain('has schema version 7, newer than this release');
    });

    test('constraints refuse rows that are no entry, whoever writes them, and leave nothing behind', async () => {
      const schema = uniqueSchema('cons');
      await open(schema).ready();
      const insert = (row: Partial<Record<string, unknown>>) => {
        const r = {
          domain: 'a.test',
          policy_id: 'id1',
          mode: 'enforce',
          max_age: 86_400,
          mx: ['mx.a.test'],
          lines: ['version: STSv1'],
          ...row,
        };
        return sqlError(
          `INSERT INTO "${schema}".mta_sts_policies
           (domain, policy_id, mode, max_age, mx, lines, fetched_at, checked_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now(), now(), now() + interval '1 day')`,
          [r.domain, r.policy_id, r.mode, r.max_age, r.mx, r.lines],
        );
      };
      expect(await insert({})).toBeUndefined();
      expect(await insert({})).toMatch(/^23505 .*mta_sts_policies_pkey/);
      expect(await insert({ domain: 'B.test' })).toMatch(/^23514 /);
      expect(await insert({ domain: '' })).toMatch(/^23514 /);
      expect(await insert({ domain: 'c.test', policy_id: 'not-alnum' })).toMatch(/^23514 /);
      expect(await insert({ domain: 'c.test', policy_id: 'x'.repeat(33) })).toMatch(/^23514 /);
      expect(await insert({ domain: 'c.test', mode: 'report' })).toMatch(/^23514 /);
      expect(await insert({ domain: 'c.test', max_age: 31_557_601 })).toMatch(/^23514 /);
      expect(await insert({ domain: 'c.test', max_age: -1 })).toMatch(/^23514 /);
      expect(await insert({ domain: 'c.test', mx: [] })).toMatch(/^23514 .*mx_given/);
      expect(await insert({ domain: 'c.test', mx: [null] })).toMatch(/^23514 .*no_null_items/);
      expect(await insert({ domain: 'c.test', lines: ['a', null] })).toMatch(/^23514 .*no_null_items/);
      expect(await insert({ domain: 'c.test', mode: null })).toMatch(/^23502 .*"mode"/);
      expect(await insert({ domain: 'none.test', mode: 'none', mx: [] })).toBeUndefined();
      expect(await server.sql(`SELECT domain FROM "${schema}".mta_sts_policies ORDER BY 1`)).toEqual([
        { domain: 'a.test' },
        { domain: 'none.test' },
      ]);
    });

    test('a row written by hand is read as the entry it describes; one the constraints let through but no entry is refused with ESTORE naming it', async () => {
      const schema = uniqueSchema('byhand');
      const store = open(schema);
      await store.ready();
      await server.sql(
        `INSERT INTO "${schema}".mta_sts_policies (domain, policy_id, mode, max_age, mx, lines, fetched_at, checked_at, expires_at)
       VALUES ('mandant.test', 'abc123', 'enforce', 86400, $1, $2, '2026-01-15T10:30:00+01:00', '2026-01-16T09:30:00Z', '2026-01-17T09:30:00Z')`,
        [ENTRY.policy.mx, ENTRY.policy.lines],
      );
      expect(await store.get('mandant.test')).toEqual(ENTRY);
      await server.sql(
        `INSERT INTO "${schema}".mta_sts_policies (domain, policy_id, mode, max_age, mx, lines, fetched_at, checked_at, expires_at)
       VALUES ('kaputt.test', 'x1', 'enforce', 60, '{MX.Kaputt.test}', '{}', now(), now(), now())`,
      );
      const error = await store.get('kaputt.test').catch((e: unknown) => e);
      expect(
        isForcedTlsError(error) && { code: error.code, path: error.path, transient: error.transient },
      ).toEqual({
        code: 'ESTORE',
        path: 'policy.mx[0]',
        transient: false,
      });
      expect((error as Error).message).toContain(
        'row "kaputt.test": entry field policy.mx[0] must be a lowercase mx pattern',
      );
      await expect(store.list()).rejects.toMatchObject({ code: 'ESTORE', path: 'policy.mx[0]' });
      // The operator's way out, also through the store: delete the row (the policy is fetched again).
      expect(await store.delete('kaputt.test')).toBe(true);
      expect(await store.list()).toEqual([ENTRY]);
    });

    test('set() refuses entries that are malformed or that PostgreSQL cannot hold exactly, with ESTORE naming the field; nothing is written', async () => {
      const schema = uniqueSchema('bad');
      const store = open(schema);
      const policy = ENTRY.policy;
      const getterThrows = Object.defineProperty({ ...ENTRY }, 'id', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      });
      const cases: [unknown, string][] = [
        [undefined, 'ESTORE -'],
        [{ ...ENTRY, domain: 'Mandant.test' }, 'ESTORE domain'],
        [{ ...ENTRY, id: 'a-b' }, 'ESTORE id'],
        [{ ...ENTRY, policy: { ...policy, mode: 'report' } }, 'ESTORE policy.mode'],
        [{ ...ENTRY, policy: { ...policy, mx: [] } }, 'ESTORE policy.mx'],
        [{ ...ENTRY, fetchedAt: new Date(ENTRY.fetchedAt) }, 'ESTORE fetchedAt'],
        [{ ...ENTRY, expiresAt: '+010000-01-01T00:00:00.000Z' }, 'ESTORE expiresAt'],
        [{ ...ENTRY, checkedAt: '0000-06-01T00:00:00.000Z' }, 'ESTORE checkedAt'],
        [{ ...ENTRY, policy: { ...policy, lines: ['x-note: a\u0000b'] } }, 'ESTORE policy.lines[0]'],
        [{ ...ENTRY, policy: { ...policy, lines: ['ok', 'x-note: \ud800'] } }, 'ESTORE policy.lines[1]'],
        [{ ...ENTRY, extra: true }, 'ESTORE extra'],
        [{ ...ENTRY, policy: new Proxy(policy, {}) }, 'ESTORE -'],
        [{ ...ENTRY, policy: { ...policy, mx: [() => 'mx'] } }, 'ESTORE -'],
        [getterThrows, 'ESTORE -'],
      ];
      for (const [i, [entry, expected]] of cases.entries()) {
        expect(await refusal(() => store.set(entry as MtaStsCacheEntry)), `case ${i}`).toBe(expected);
      }
      for (const domain of [42, undefined, Symbol('x'), { domain: 'mandant.test' }]) {
        expect(await refusal(() => store.get(domain as never))).toBe('ESTORE domain');
        expect(await refusal(() => store.delete(domain as never))).toBe('ESTORE domain');
      }
      expect(await store.list()).toEqual([]);
      // Astral characters (a pair of surrogates) and quotes are stored exactly.
      const unicode = { ...ENTRY, policy: { ...policy, lines: ['x-note: 📄 "Grüße" \\ {a,b}'] } };
      await store.set(unicode);
      expect(await store.get('mandant.test')).toEqual(unicode);
    });

    test('close() waits for running calls; afterwards calls fail with ESTORE; a shared pool stays usable', async () => {
      const pool = new pg.Pool({ connectionString: server.url, max: 2 });
      pool.on('error', () => undefined);
      try {
        const store = createPostgresMtaStsCacheStore({ pool, schema: uniqueSchema('close') });
        const writing = store.set(ENTRY);
        await store.close();
        await expect(writing).resolves.toBeUndefined();
        await store.close();
        for (const call of [() => store.get('mandant.test'), () => store.set(ENTRY), () => store.list()]) {
          const error = await call().catch((e: unknown) => e);
          expect(isForcedTlsError(error) && error.code).toBe('ESTORE');
          expect((error as Error).message).toContain('the store is closed');
        }
        const again = createPostgresMtaStsCacheStore({ pool, schema: store.schema });
        expect(await again.get('mandant.test')).toEqual(ENTRY);
        await again.close();
        expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await pool.end();
      }
    });

    test('the documented grants suffice for the application role (autoMigrate: false)', async () => {
      const schema = uniqueSchema('grants');
      await open(schema).migrate();
      await server.sql('DROP ROLE IF EXISTS sts_app');
      await server.sql('CREATE ROLE sts_app LOGIN');
      await server.sql(`GRANT USAGE ON SCHEMA "${schema}" TO sts_app`);
      await server.sql(`GRANT SELECT, INSERT, UPDATE, DELETE ON "${schema}".mta_sts_policies TO sts_app`);
      await server.sql(`GRANT SELECT ON "${schema}".mta_sts_policies_migrations TO sts_app`);
      const app = open(schema, {
        connectionString: `postgres://sts_app@127.0.0.1:${server.port}/postgres`,
        autoMigrate: false,
      });
      await app.set(ENTRY);
      await app.set({ ...ENTRY, id: 'renewed1' });
      expect(await app.get('mandant.test')).toMatchObject({ id: 'renewed1' });
      expect(await app.list()).toHaveLength(1);
      expect(await app.delete('mandant.test')).toBe(true);
      // The application role cannot change the schema.
      expect(
        await sqlError(
          `SET ROLE sts_app; ALTER TABLE "${schema}".mta_sts_policies DROP CONSTRAINT mta_sts_policies_mx_given`,
        ),
      ).toMatch(/^42501 /);
    });

    test('a table held locked by another session: calls end by their deadline with a transient ESTORE, and a write that timed out never commits later; released, they work', async () => {
      const schema = uniqueSchema('lock');
      const store = open(schema, { operationTimeoutMs: 300 });
      await store.set(ENTRY);
      const holder = new pg.Client({ connectionString: server.url });
      holder.on('error', () => undefined);
      await holder.connect();
      try {
        await holder.query(`BEGIN; LOCK TABLE "${schema}".mta_sts_policies IN ACCESS EXCLUSIVE MODE`);
        const late = { ...ENTRY, id: 'late1' };
        for (const call of [
          () => store.get('mandant.test'),
          () => store.set(late),
          () => store.delete('mandant.test'),
        ]) {
          const started = Date.now();
          const error = await call().catch((e: unknown) => e);
          expect(isForcedTlsError(error) && `${error.code} ${error.transient}`).toBe('ESTORE true');
          expect(Date.now() - started).toBeLessThan(700);
        }
        await holder.query('ROLLBACK');
        // The server cancelled the waiting writes at their deadline: once the lock is gone, neither
        // the upsert nor the delete goes through behind the store's back.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await store.get('mandant.test')).toEqual(ENTRY);
        expect(
          await server.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`),
        ).toEqual([{ n: 0 }]);
      } finally {
        await holder.end();
      }
    });
  },
);
