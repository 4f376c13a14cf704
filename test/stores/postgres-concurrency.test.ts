import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createPostgresWhitelistStore,
  type PostgresWhitelistStore,
} from '../../src/stores/postgres/index.js';
import { createWhitelist, type WhitelistEntry } from '../../src/whitelist/index.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';
import { waitUntil } from '../support/system-servers.js';

const WRITERS = 8;
const ADDS = 100;

describe.skipIf(!postgresGate.available)('PostgreSQL store under concurrent writers', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.destroy());

  const open = (schema: string) => createPostgresWhitelistStore({ connectionString: server.url, schema });

  test(`${WRITERS} writers × ${ADDS} adds, each with its own connection pool: none lost, every audit row present, numbered without gaps`, async () => {
    const schema = uniqueSchema('writers');
    const stores: PostgresWhitelistStore[] = Array.from({ length: WRITERS }, () => open(schema));
    try {
      // All start at once on a schema nobody created yet: the migration runs exactly once.
      await Promise.all(stores.map((s) => s.ready()));
      const added: WhitelistEntry[][] = await Promise.all(
        stores.map(async (store, w) => {
          const whitelist = createWhitelist(store);
          const mine: WhitelistEntry[] = [];
          for (let i = 0; i < ADDS; i++) {
            mine.push(
              await whitelist.add(
                {
                  direction: 'outbound',
                  scope: 'domain',
                  value: `mandant-${w}-${i}.example`,
                  reason: `Einwilligung ${w}/${i}`,
                  approvedBy: `StB ${w}`,
                },
                `writer-${w}`,
              ),
            );
          }
          return mine;
        }),
      );
      const total = WRITERS * ADDS;
      const ids = added.flat().map((e) => e.id);
      expect(new Set(ids).size).toBe(total);

      const entries = await server.sql<{ id: string }>(`SELECT id FROM "${schema}".whitelist`);
      expect(new Set(entries.map((r) => r.id))).toEqual(new Set(ids));
      const audit = await server.sql<{ seq: string; entry_id: string; action: string; actor: string }>(
        `SELECT seq::text AS seq, entry_id, action, actor FROM "${schema}".whitelist_audit ORDER BY whitelist_audit.seq`,
      );
      expect(audit.map((r) => Number(r.seq))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const byId = new Map(audit.map((r) => [r.entry_id, r]));
      for (const [w, mine] of added.entries()) {
        for (const entry of mine)
          expect(byId.get(entry.id)).toMatchObject({ action: 'add', actor: `writer-${w}` });
      }
      const [state] = await server.sql<{ revision: string }>(
        `SELECT revision::text FROM "${schema}".whitelist_state`,
      );
      expect(Number(state?.revision)).toBe(total);
      const migrations = await server.sql(`SELECT * FROM "${schema}".whitelist_migrations`);
      expect(migrations).toHaveLength(1);
      // Every instance's in-memory copy converges on all of them.
      for (const store of stores) {
        await waitUntil(
          async () => (await store.list()).length === total,
          5000,
          () => JSON.stringify(store.status()),
        );
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 60_000);

  test('8 instances adding the same direction, scope and value at once leave one entry; the others are audited as replacements', async () => {
    const schema = uniqueSchema('samekey');
    const stores = Array.from({ length: 8 }, () => open(schema));
    try {
      await Promise.all(stores.map((s) => s.ready()));
      const results = await Promise.all(
        stores.map((store, w) =>
          createWhitelist(store).add(
            {
              direction: 'inbound',
              scope: 'address',
              value: 'anna@mandant.example',
              reason: `r${w}`,
              approvedBy: 'StB',
            },
            `writer-${w}`,
          ),
        ),
      );
      const rows = await server.sql<{ id: string; reason: string }>(
        `SELECT id, reason FROM "${schema}".whitelist`,
      );
      expect(rows).toHaveLength(1);
      // The last committed add holds the key, with the id and content it was given.
      const audit = await server.sql<{ action: string; entry_id: string }>(
        `SELECT action, entry_id FROM "${schema}".whitelist_audit ORDER BY seq`,
      );
      expect(audit.map((r) => r.action)).toEqual(['add', ...Array(7).fill('replace')]);
      expect(rows[0]?.id).toBe(audit.at(-1)?.entry_id);
      expect(results.map((e) => e.id)).toContain(rows[0]?.id);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
