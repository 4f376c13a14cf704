import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresWhitelistStore } from '../../src/stores/postgres/index.js';
import { createWhitelist } from '../../src/whitelist/index.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';
import { waitUntil } from '../support/system-servers.js';

const LOOPS = 4;

describe.skipIf(!postgresGate.available)('PostgreSQL killed with SIGKILL during a stream of writes', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.destroy());

  test('after restart every acknowledged add is there with its audit row; the store reconnects and writes again', async () => {
    const schema = uniqueSchema('crash');
    const store = createPostgresWhitelistStore({
      connectionString: server.url,
      schema,
      operationTimeoutMs: 2000,
      heartbeatMs: 50,
      reconnectMinMs: 20,
      reconnectMaxMs: 200,
    });
    const whitelist = createWhitelist(store);
    await store.ready();
    const acked: string[] = [];
    let failed = 0;
    let stop = false;
    let serial = 0;
    let killedAt = 0;
    const loops = Array.from({ length: LOOPS }, async (_, w) => {
      while (!stop) {
        const n = ++serial;
        try {
          const entry = await whitelist.add(
            {
              direction: 'outbound',
              scope: 'domain',
              value: `crash-${w}-${n}.example`,
              reason: 'Einwilligung',
              approvedBy: 'StB',
            },
            `loop-${w}`,
          );
          acked.push(entry.id);
        } catch {
          failed++;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    });
    await waitUntil(
      () => acked.length >= 60,
      20_000,
      () => `only ${acked.length} acknowledged`,
    );
    const pid = server.pid();
    await server.kill('SIGKILL');
    killedAt = acked.length;
    await server.start();
    expect(server.pid()).not.toBe(pid);
    await waitUntil(
      () => acked.length >= killedAt + 40,
      20_000,
      () => `no writes after restart (${failed} failed)`,
    );
    stop = true;
    await Promise.all(loops);
    console.log(`crash test: ${acked.length} acknowledged (${killedAt} before the kill), ${failed} failed`);

    const rows = await server.sql<{ id: string }>(`SELECT id FROM "${schema}".whitelist`);
    const ids = new Set(rows.map((r) => r.id));
    const audit = await server.sql<{ seq: string; entry_id: string; action: string }>(
      `SELECT seq::text AS seq, entry_id, action FROM "${schema}".whitelist_audit ORDER BY whitelist_audit.seq`,
    );
    const audited = new Set(audit.filter((r) => r.action === 'add').map((r) => r.entry_id));
    for (const id of acked) {
      expect(ids.has(id), `acknowledged ${id} lost`).toBe(true);
      expect(audited.has(id), `audit row of ${id} lost`).toBe(true);
    }
    // Entries and audit trail stayed in step: one add row per entry (an unacknowledged write is
    // either fully there or fully absent), numbered without gaps.
    expect(audited).toEqual(ids);
    expect(audit.map((r) => Number(r.seq))).toEqual(audit.map((_, i) => i + 1));
    await waitUntil(
      async () => (await store.list()).length === ids.size,
      5000,
      () => JSON.stringify(store.status()),
    );
    await store.close();
  }, 60_000);
});
