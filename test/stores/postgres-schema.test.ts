import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import {
  createPostgresWhitelistStore,
  POSTGRES_SCHEMA_VERSION,
  type PostgresWhitelistStore,
} from '../../src/stores/postgres/index.js';
import { createWhitelist, type WhitelistEntry } from '../../src/whitelist/index.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';
import { waitUntil } from '../support/system-servers.js';

const T0 = new Date('2026-04-01T10:00:00.000Z');

describe.skipIf(!postgresGate.available)('PostgreSQL store: schema, constraints, audit trail', () => {
  let server: TestPostgres;
  const stores: PostgresWhitelistStore[] = [];
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await server?.destroy();
  });
  const open = (schema: string, extra: Record<string, unknown> = {}) => {
    const store = createPostgresWhitelistStore({ connectionString: server.url, schema, ...extra } as never);
    stores.push(store);
    return store;
  };
  /** A fresh, migrated schema and a store on it. */
  const fresh = async (prefix: string) => {
    const schema = uniqueSchema(prefix);
    const store = open(schema);
    await store.ready();
    return { schema, store, q: (name = 'whitelist') => `"${schema}"."${name}"` };
  };
  const sqlError = (text: string, values?: unknown[]) =>
    server.sql(text, values).then(
      () => undefined,
      (error: { code?: string; message?: string }) => `${error.code} ${error.message}`,
    );

  test('migrate() is versioned and idempotent; ten stores starting at once on a new schema migrate it once', async () => {
    const schema = uniqueSchema('mig');
    const first = open(schema);
    expect(await first.migrate()).toEqual({ from: 0, to: POSTGRES_SCHEMA_VERSION });
    expect(await first.migrate()).toEqual({ from: POSTGRES_SCHEMA_VERSION, to: POSTGRES_SCHEMA_VERSION });
    const racing = uniqueSchema('race');
    const many = Array.from({ length: 10 }, () => open(racing));
    await Promise.all(many.map((s) => s.ready()));
    const rows = await server.sql(`SELECT version FROM "${racing}".whitelist_migrations`);
    expect(rows).toEqual([{ version: 1 }]);
  });

  test('autoMigrate: false checks the version and names the fix; a schema newer than this release is refused', async () => {
    const schema = uniqueSchema('nomig');
    const store = open(schema, { autoMigrate: false });
    const error = await store.ready().catch((e: unknown) => e);
    expect(isForcedTlsError(error) && error.code).toBe('ESTORE');
    expect((error as Error).message).toContain(
      'has schema version 0, this release needs 1; run store.migrate()',
    );
    await store.migrate();
    const again = open(schema, { autoMigrate: false });
    await expect(again.list()).resolves.toEqual([]);
    await server.sql(
      `INSERT INTO "${schema}".whitelist_migrations (version, description) VALUES (99, 'future')`,
    );
    const future = await open(schema)
      .ready()
      .catch((e: unknown) => e);
    expect((future as Error).message).toContain('has schema version 99, newer than this release');
  });

  test('constraints make duplicates and half-written entries impossible, whoever writes', async () => {
    const { q } = await fresh('cons');
    const insert = (values: unknown[]) =>
      sqlError(
        `INSERT INTO ${q()} (id, direction, scope, value, reason, approved_by, consent_ref, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
        values,
      );
    expect(await insert(['a', 'outbound', 'domain', 'x.example', 'r', 'StB', null])).toBeUndefined();
    expect(await insert(['b', 'outbound', 'domain', 'x.example', 'r', 'StB', null])).toMatch(
      /^23505 .*whitelist_key/,
    );
    expect(await insert(['a', 'inbound', 'domain', 'y.example', 'r', 'StB', null])).toMatch(
      /^23505 .*whitelist_pkey/,
    );
    expect(await insert(['c', 'outbound', 'domain', 'z.example', null, 'StB', null])).toMatch(
      /^23502 .*"reason"/,
    );
    expect(await insert(['c', 'outbound', 'domain', 'z.example', 'r', null, null])).toMatch(
      /^23502 .*"approved_by"/,
    );
    expect(await insert(['c', 'outbound', 'domain', 'z.example', '  ', 'StB', null])).toMatch(/^23514 /);
    expect(await insert(['c', 'outbound', 'domain', 'z.example', 'r', 'StB', ''])).toMatch(/^23514 /);
    expect(await insert(['c', 'sideways', 'domain', 'z.example', 'r', 'StB', null])).toMatch(/^23514 /);
    expect(await insert(['c', 'outbound', 'mailbox', 'z.example', 'r', 'StB', null])).toMatch(/^23514 /);
    expect(await insert(['c', 'outbound', 'address', 'z.example', 'r', 'StB', null])).toMatch(/^23514 /);
    expect(await insert(['c', 'outbound', 'domain', 'a@z.example', 'r', 'StB', null])).toMatch(/^23514 /);
    // One row and one audit row: every refused insert left nothing behind.
    expect(await server.sql(`SELECT id FROM ${q()}`)).toEqual([{ id: 'a' }]);
    expect(await server.sql(`SELECT entry_id FROM ${q('whitelist_audit')}`)).toEqual([{ entry_id: 'a' }]);
  });

  test('the audit trail is append-only, and entries cannot be truncated past it', async () => {
    const { store, q } = await fresh('append');
    await createWhitelist(store).add({
      direction: 'outbound',
      scope: 'domain',
      value: 'a.example',
      reason: 'r',
      approvedBy: 'StB',
    });
    expect(await sqlError(`UPDATE ${q('whitelist_audit')} SET actor = 'someone else'`)).toMatch(
      /^42501 .*append-only/,
    );
    expect(await sqlError(`DELETE FROM ${q('whitelist_audit')}`)).toMatch(/^42501 .*append-only/);
    expect(await sqlError(`TRUNCATE ${q('whitelist_audit')}`)).toMatch(/^42501 .*append-only/);
    expect(await sqlError(`TRUNCATE ${q()}`)).toMatch(/^42501 .*DELETE/);
    expect(await server.sql(`SELECT count(*)::int AS n FROM ${q('whitelist_audit')}`)).toEqual([{ n: 1 }]);
  });

  test('add, replace and remove through the whitelist each write one audit row with actor, time and previous entry', async () => {
    const { store } = await fresh('audit');
    let now = T0;
    const whitelist = createWhitelist(store, { clock: () => now });
    const input = {
      direction: 'outbound' as const,
      scope: 'domain' as const,
      value: 'Müller-Steuer.de',
      reason: 'Einwilligung vom 1.4.',
      approvedBy: 'StB Erika Mustermann',
      consentRef: 'EW-2026-017',
    };
    const first = await whitelist.add(input, 'sekretariat@kanzlei.de');
    now = new Date(T0.getTime() + 60_000);
    const second = await whitelist.add({ ...input, reason: 'Neue Einwilligung' }, 'StB Erika Mustermann');
    expect(second.id).toBe(first.id);
    now = new Date(T0.getTime() + 120_000);
    expect(await whitelist.remove(first.id, 'Mandant widerruft')).toBe(true);
    expect(await whitelist.remove(first.id, 'again')).toBe(false);
    const records = await whitelist.audit();
    expect(records).toEqual([
      { seq: 1, type: 'add', entry: first, actor: 'sekretariat@kanzlei.de', at: '2026-04-01T10:00:00.000Z' },
      {
        seq: 2,
        type: 'add',
        entry: second,
        previous: first,
        actor: 'StB Erika Mustermann',
        at: '2026-04-01T10:01:00.000Z',
      },
      { seq: 3, type: 'remove', entry: second, actor: 'Mandant widerruft', at: '2026-04-01T10:02:00.000Z' },
    ]);
    expect(await whitelist.audit({ since: '2026-04-01T10:01:00Z' })).toEqual(records.slice(1));
    expect(await whitelist.audit({ afterSeq: 1, limit: 1 })).toEqual([records[1]]);
    expect(await whitelist.audit({ since: new Date('2027-01-01') })).toEqual([]);
    await expect(whitelist.audit({ limit: 0 })).rejects.toMatchObject({ code: 'EPOLICY', path: 'limit' });
  });

  test('a change made by hand in SQL is audited (actor: approver or database user), numbered, and reaches a running store', async () => {
    const { store, q } = await fresh('byhand');
    const before = await store.revision();
    await server.sql(
      `INSERT INTO ${q()} (id, direction, scope, value, reason, approved_by, created_at)
       VALUES ('manual-1', 'inbound', 'subdomains', 'praxis.example', 'per Telefon', 'Dr. Praxis', '2026-04-01T10:00:00Z')`,
    );
    await waitUntil(
      async () => (await store.list()).length === 1,
      1000,
      () => JSON.stringify(store.status()),
    );
    expect(await store.revision()).not.toBe(before);
    const [listed] = await store.list();
    expect(listed).toEqual({
      id: 'manual-1',
      direction: 'inbound',
      scope: 'subdomains',
      value: 'praxis.example',
      reason: 'per Telefon',
      approvedBy: 'Dr. Praxis',
      createdAt: '2026-04-01T10:00:00.000Z',
    } satisfies WhitelistEntry);
    await server.sql(`DELETE FROM ${q()} WHERE id = 'manual-1'`);
    await waitUntil(
      async () => (await store.list()).length === 0,
      1000,
      () => JSON.stringify(store.status()),
    );
    const audit = await server.sql(
      `SELECT seq::int, action, actor, db_user FROM ${q('whitelist_audit')} ORDER BY 1`,
    );
    expect(audit).toEqual([
      { seq: 1, action: 'add', actor: 'Dr. Praxis', db_user: 'postgres' },
      { seq: 2, action: 'remove', actor: 'postgres', db_user: 'postgres' },
    ]);
  });

  test('a malformed row written by hand fails the read with ESTORE naming it; the last good copy stays until it is fixed', async () => {
    const { store, q } = await fresh('bad');
    const whitelist = createWhitelist(store);
    await whitelist.add({
      direction: 'outbound',
      scope: 'domain',
      value: 'good.example',
      reason: 'r',
      approvedBy: 'StB',
    });
    // Not normalized: the application would have stored "upper.example".
    await server.sql(
      `INSERT INTO ${q()} (id, direction, scope, value, reason, approved_by, created_at)
       VALUES ('bad-row', 'outbound', 'domain', 'UPPER.example', 'r', 'StB', now())`,
    );
    await waitUntil(
      () =>
        store.status().lastError?.includes('row id "bad-row": value "UPPER.example" is not a normalized') ===
        true,
      2000,
      () => JSON.stringify(store.status()),
    );
    expect((await store.list()).map((e) => e.value)).toEqual(['good.example']);
    await server.sql(`UPDATE ${q()} SET value = 'upper.example' WHERE id = 'bad-row'`);
    await waitUntil(
      async () => (await store.list()).length === 2,
      3000,
      () => JSON.stringify(store.status()),
    );
  });

  test('an application role with only the documented grants can use the store but cannot write the audit trail', async () => {
    const { schema, q } = await fresh('grants');
    const role = `app_${schema}`;
    await server.sql(`CREATE ROLE ${role} LOGIN`);
    await server.sql(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
    await server.sql(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${q()} TO ${role}`);
    await server.sql(
      `GRANT SELECT ON ${q('whitelist_audit')}, ${q('whitelist_state')}, ${q('whitelist_migrations')} TO ${role}`,
    );
    const url = server.url.replace('postgres@', `${role}@`);
    const store = open(schema, { connectionString: url, autoMigrate: false });
    const whitelist = createWhitelist(store);
    const entry = await whitelist.add(
      { direction: 'outbound', scope: 'domain', value: 'a.example', reason: 'r', approvedBy: 'StB' },
      'app',
    );
    await whitelist.add({
      direction: 'outbound',
      scope: 'domain',
      value: 'a.example',
      reason: 'r2',
      approvedBy: 'StB',
    });
    expect(await whitelist.remove(entry.id, 'app')).toBe(true);
    expect((await whitelist.audit()).map((r) => r.actor)).toEqual(['app', 'StB', 'app']);
    expect(await server.sql(`SELECT DISTINCT db_user FROM ${q('whitelist_audit')}`)).toEqual([
      { db_user: role },
    ]);
    const asApp = async (text: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(text);
        return 'allowed';
      } catch (error) {
        return (error as { code?: string }).code;
      } finally {
        await client.end();
      }
    };
    expect(
      await asApp(
        `INSERT INTO ${q('whitelist_audit')} (seq, at, action, entry_id, entry, actor) VALUES (99, now(), 'add', 'x', '{}', 'forged')`,
      ),
    ).toBe('42501');
    expect(await asApp(`UPDATE ${q('whitelist_state')} SET revision = 0`)).toBe('42501');
    expect(await asApp(`CREATE TABLE "${schema}".other (x int)`)).toBe('42501');
  });

  test("works on the caller's pg.Pool and leaves it open on close()", async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 3 });
    pool.on('error', () => undefined);
    try {
      const store = createPostgresWhitelistStore({ pool, schema: uniqueSchema('pool') });
      const whitelist = createWhitelist(store);
      await whitelist.add({
        direction: 'outbound',
        scope: 'address',
        value: 'a@b.example',
        reason: 'r',
        approvedBy: 'StB',
      });
      expect(await whitelist.list()).toHaveLength(1);
      await store.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});

describe('createPostgresWhitelistStore options', () => {
  const url = 'postgres://app:s3cret@db.internal:5432/kanzlei';
  test.each([
    [{}, 'pool'],
    [{ connectionString: url, pool: { connect: () => undefined, end: () => undefined } }, 'pool'],
    [{ connectionString: '' }, 'connectionString'],
    [{ connectionString: url, schema: 'Forced-TLS' }, 'schema'],
    [{ connectionString: url, table: 'x'.repeat(53) }, 'table'],
    [{ connectionString: url, heartbeatMs: 5000, maxStalenessMs: 5000 }, 'maxStalenessMs'],
    [{ connectionString: url, operationTimeoutMs: 0 }, 'operationTimeoutMs'],
    [{ connectionString: url, reconnectMinMs: 500, reconnectMaxMs: 100 }, 'reconnectMaxMs'],
    [{ connectionString: url, autoMigrate: 'yes' }, 'autoMigrate'],
    [{ connectionString: url, clock: Date.now() }, 'clock'],
    [{ connectionString: url, poolSize: 3 }, 'poolSize'],
  ])('refuses %j with EPOLICY naming %s, never echoing the connection string', (options, path) => {
    let error: unknown;
    try {
      createPostgresWhitelistStore(options as never);
    } catch (e) {
      error = e;
    }
    expect(isForcedTlsError(error) && error.code).toBe('EPOLICY');
    expect((error as { path?: string }).path).toBe(path);
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain('s3cret');
  });

  test('a BigInt schema or table is EPOLICY naming it, not a TypeError', () => {
    for (const path of ['schema', 'table']) {
      expect(() => createPostgresWhitelistStore({ connectionString: url, [path]: 1n } as never)).toThrow(
        expect.objectContaining({ code: 'EPOLICY', path, message: expect.stringContaining('got 1n') }),
      );
    }
  });

  test('nothing connects until first use', async () => {
    const store = createPostgresWhitelistStore({ connectionString: 'postgres://x@127.0.0.1:1/none' });
    expect(store.status()).toEqual({
      revision: undefined,
      entries: 0,
      freshAsOf: undefined,
      stale: true,
      listening: false,
    });
    await store.close();
    await expect(store.list()).rejects.toMatchObject({
      code: 'ESTORE',
      message: expect.stringContaining('closed'),
    });
  });
});
