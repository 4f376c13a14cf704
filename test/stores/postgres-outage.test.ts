import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import { createPolicy, EMPTY_WHITELIST } from '../../src/policy/index.js';
import {
  createPostgresWhitelistStore,
  type PostgresStoreEvent,
  type PostgresWhitelistStore,
} from '../../src/stores/postgres/index.js';
import { createWhitelist, type Whitelist } from '../../src/whitelist/index.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';
import { waitUntil } from '../support/system-servers.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const policy = createPolicy({ outbound: { default: 'encrypt' } });
const INPUT = {
  direction: 'outbound' as const,
  scope: 'domain' as const,
  value: 'mandant.example',
  reason: 'Einwilligung EW-7 liegt vor',
  approvedBy: 'StB Muster',
};
const RECIPIENT = 'post@mandant.example';

/** The decision a transport would make: the snapshot, or (the documented fallback) no whitelist at all. */
async function decide(whitelist: Whitelist): Promise<{ level: string; error?: string }> {
  try {
    return { level: policy.outbound(RECIPIENT, { whitelist: await whitelist.snapshot() }).level };
  } catch (error) {
    if (!isForcedTlsError(error)) throw error;
    return {
      level: policy.outbound(RECIPIENT, { whitelist: EMPTY_WHITELIST }).level,
      error: `${error.code} ${error.transient ? 'transient' : 'permanent'}`,
    };
  }
}

describe.skipIf(!postgresGate.available)('PostgreSQL store when the connection or the database fails', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.destroy());

  test('pg_terminate_backend: the store reconnects, re-LISTENs, and notifications resume', async () => {
    const schema = uniqueSchema('term');
    const events: PostgresStoreEvent[] = [];
    const writer = createPostgresWhitelistStore({ connectionString: server.url, schema });
    // A heartbeat of 10 s: a change seen within 1 s can only have come by notification.
    const watcher = createPostgresWhitelistStore({
      connectionString: server.url,
      schema,
      heartbeatMs: 10_000,
      reconnectMinMs: 20,
      onEvent: (event) => events.push(event),
    });
    try {
      await writer.ready();
      await watcher.ready();
      expect(watcher.status().listening).toBe(true);
      const killed = await server.sql<{ n: string }>(
        `SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      expect(Number(killed[0]?.n)).toBeGreaterThanOrEqual(2);
      await waitUntil(
        () => events.some((e) => e.type === 'connection-lost'),
        5000,
        () => JSON.stringify(events),
      );
      await waitUntil(
        () => watcher.status().listening && events.filter((e) => e.type === 'listening').length >= 2,
        5000,
        () => JSON.stringify(events),
      );
      const whitelist = createWhitelist(writer);
      const entry = await whitelist.add(INPUT);
      const added = Date.now();
      await waitUntil(
        async () => (await watcher.list()).some((e) => e.id === entry.id),
        1000,
        () => `not seen: ${JSON.stringify(watcher.status())}`,
      );
      expect(Date.now() - added).toBeLessThan(1000);
    } finally {
      await writer.close();
      await watcher.close();
    }
  });

  test.each(['reset', 'blackhole'] as const)(
    'database unreachable (%s): the last snapshot serves up to maxStalenessMs, then ESTORE; a consent revoked meanwhile stops plaintext within that bound',
    async (how) => {
      const schema = uniqueSchema(how);
      const proxy = await startTcpProxy(server.port);
      let now = Date.parse('2026-05-04T08:00:00.000Z');
      const clock = () => new Date(now);
      const direct = createPostgresWhitelistStore({ connectionString: server.url, schema });
      const remote = createPostgresWhitelistStore({
        connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
        schema,
        clock,
        maxStalenessMs: 5000,
        heartbeatMs: 50,
        operationTimeoutMs: 300,
        reconnectMinMs: 20,
        reconnectMaxMs: 100,
      });
      const admin = createWhitelist(direct);
      const app = createWhitelist(remote, { clock });
      try {
        const entry = await admin.add(INPUT);
        await waitUntil(
          async () => (await decide(app)).level === 'may',
          2000,
          () => 'never whitelisted',
        );

        proxy.cut(how);
        await admin.remove(entry.id, 'Kanzleiverwaltung'); // the client revokes consent
        if (how === 'blackhole') {
          // Silence, not an error: the heartbeat's deadline notices it.
          await waitUntil(
            () => !remote.status().listening,
            3000,
            () => JSON.stringify(remote.status()),
          );
        }
        const freshAsOf = Date.parse(remote.status().freshAsOf ?? '');
        expect(freshAsOf).toBe(now);

        // Within the bound: the last good snapshot still decides (the revocation is not yet known).
        now = freshAsOf + 5000;
        expect(await decide(app)).toEqual({ level: 'may' });
        // Past it: the snapshot fails with a transient ESTORE; deciding without the whitelist is stricter.
        now = freshAsOf + 5001;
        expect(await decide(app)).toEqual({ level: 'encrypt', error: 'ESTORE transient' });
        expect(remote.status().stale).toBe(true);
        await expect(remote.list()).rejects.toThrow(/more than maxStalenessMs \(5000\)/);

        // Reachable again: the store reconnects, reads what it missed, and the revocation holds.
        proxy.restore();
        await waitUntil(
          () => !remote.status().stale,
          5000,
          () => JSON.stringify(remote.status()),
        );
        expect(await decide(app)).toEqual({ level: 'encrypt' });
        await waitUntil(
          () => remote.status().listening,
          5000,
          () => JSON.stringify(remote.status()),
        );
      } finally {
        await direct.close();
        await remote.close();
        await proxy.close();
      }
    },
  );

  test('unreachable at startup: ready() rejects with a transient ESTORE within operationTimeoutMs', async () => {
    const proxy = await startTcpProxy(server.port);
    proxy.cut('blackhole');
    const store: PostgresWhitelistStore = createPostgresWhitelistStore({
      connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
      schema: uniqueSchema('down'),
      operationTimeoutMs: 300,
    });
    try {
      const started = Date.now();
      const error = await store.ready().catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(isForcedTlsError(error) && error.code === 'ESTORE' && error.transient).toBe(true);
      // The next call within the retry pause fails at once with the same error.
      const again = Date.now();
      await expect(createWhitelist(store).snapshot()).rejects.toMatchObject({ code: 'ESTORE' });
      expect(Date.now() - again).toBeLessThan(100);
    } finally {
      await store.close();
      await proxy.close();
    }
  });
});
