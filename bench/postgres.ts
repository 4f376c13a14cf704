// The PostgreSQL whitelist store against a real PostgreSQL 15 started for the run (skipped, with
// the reason printed, when none is installed): snapshot load time for 100k entries, decisions per
// second with a PostgreSQL-backed whitelist of 100k entries next to the memory store (the ratio is
// the figure to read), change propagation to a second instance (p50, p99) and adds per second.
import { createPolicy } from '../src/policy/policy.js';
import { createPostgresWhitelistStore, type PostgresWhitelistStore } from '../src/stores/postgres/index.js';
import { MemoryWhitelistStore } from '../src/whitelist/memory-store.js';
import type { Whitelist, WhitelistEntry } from '../src/whitelist/types.js';
import { createWhitelist } from '../src/whitelist/whitelist.js';
import { postgresGate, startTestPostgres, type TestPostgres } from '../test/support/postgres.js';

const ENTRIES = 100_000;
const SCHEMA = 'bench';
const DECISIONS_PER_ROUND = 200_000;
const ROUNDS = 5;
const CHANGES = 200;

function entry(i: number): WhitelistEntry {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    direction: 'outbound',
    scope: i % 2 === 0 ? 'domain' : 'address',
    value: i % 2 === 0 ? `mandant${i}.de` : `post${i}@mandant${i}.de`,
    reason: 'Mandant hat der unverschlüsselten Übermittlung schriftlich zugestimmt',
    approvedBy: 'Dr. Erika Berater',
    consentRef: `EV-2026-${i}`,
    createdAt: '2026-11-01T09:00:00.000Z',
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values]
    .sort((a, b) => a - b)
    [Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!.toFixed(1);

// Seeded in one statement with triggers off (session_replication_role = replica), then the revision
// set: the audit trail of the seed is not what is measured.
async function seed(server: TestPostgres): Promise<void> {
  const store = createPostgresWhitelistStore({ connectionString: server.url, schema: SCHEMA });
  await store.migrate();
  await store.close();
  await server.sql(`
    SET session_replication_role = replica;
    INSERT INTO ${SCHEMA}.whitelist (id, direction, scope, value, reason, approved_by, consent_ref, created_at)
    SELECT '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), 'outbound',
      CASE WHEN i % 2 = 0 THEN 'domain' ELSE 'address' END,
      CASE WHEN i % 2 = 0 THEN 'mandant' || i || '.de' ELSE 'post' || i || '@mandant' || i || '.de' END,
      'Mandant hat der unverschlüsselten Übermittlung schriftlich zugestimmt', 'Dr. Erika Berater',
      'EV-2026-' || i, '2026-11-01T09:00:00Z'
    FROM generate_series(0, ${ENTRIES - 1}) AS i;
    UPDATE ${SCHEMA}.whitelist_state SET revision = ${ENTRIES};
    SET session_replication_role = origin;`);
}

async function loadTimes(url: string): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const store = createPostgresWhitelistStore({ connectionString: url, schema: SCHEMA });
    const started = performance.now();
    const index = await createWhitelist(store).snapshot();
    times.push(performance.now() - started);
    if (index.size !== ENTRIES) throw new Error(`loaded ${index.size} entries`);
    await store.close();
  }
  return times;
}

// Per decision, what a transport does per message: ask the whitelist for its snapshot, then decide.
async function decisionsPerSecond(whitelist: Whitelist, to: string[]): Promise<number> {
  const policy = createPolicy({ outbound: { default: 'encrypt' } });
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < DECISIONS_PER_ROUND; i++) {
    const index = await whitelist.snapshot();
    sink += policy.outbound(to[i % to.length]!, { whitelist: index }).level.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink === 0) throw new Error('unreachable');
  return DECISIONS_PER_ROUND / seconds;
}

async function propagation(server: TestPostgres): Promise<{ copy: number[]; decision: number[] }> {
  const writer = createPostgresWhitelistStore({ connectionString: server.url, schema: SCHEMA });
  let seenAt = new Map<number, number>();
  const watcher: PostgresWhitelistStore = createPostgresWhitelistStore({
    connectionString: server.url,
    schema: SCHEMA,
    onEvent: (event) => {
      if (event.type === 'synced') seenAt.set(event.revision, Date.now());
    },
  });
  const watching = createWhitelist(watcher);
  await Promise.all([writer.ready(), watching.snapshot()]);
  const adding = createWhitelist(writer);
  const copy: number[] = [];
  const decision: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    seenAt = new Map();
    const before = await watching.snapshot();
    await adding.add({
      direction: 'outbound',
      scope: 'domain',
      value: `neu${i}.example`,
      reason: 'Einwilligung',
      approvedBy: 'StB',
    });
    const [row] = await server.sql<{ seq: string; t: string }>(
      `SELECT max(seq)::text AS seq, (extract(epoch FROM max(recorded_at)) * 1000)::text AS t FROM ${SCHEMA}.whitelist_audit`,
    );
    const seq = Number(row?.seq);
    const committedAt = Number(row?.t);
    while (![...seenAt.keys()].some((r) => r >= seq)) await new Promise((resolve) => setTimeout(resolve, 1));
    const synced = Math.min(...[...seenAt].filter(([r]) => r >= seq).map(([, t]) => t));
    copy.push(synced - committedAt);
    // The next decision needs the index rebuilt from the new copy (100k entries).
    while ((await watching.snapshot()) === before) await new Promise((resolve) => setTimeout(resolve, 1));
    decision.push(Date.now() - committedAt);
  }
  await writer.close();
  await watcher.close();
  return { copy, decision };
}

async function addsPerSecond(url: string, writers: number, each: number): Promise<number> {
  const stores = Array.from({ length: writers }, () =>
    createPostgresWhitelistStore({ connectionString: url, schema: 'bench_adds' }),
  );
  await Promise.all(stores.map((s) => s.ready()));
  const started = performance.now();
  await Promise.all(
    stores.map(async (store, w) => {
      const whitelist = createWhitelist(store);
      for (let i = 0; i < each; i++) {
        await whitelist.add({
          direction: 'outbound',
          scope: 'domain',
          value: `w${w}-${i}-${writers}.example`,
          reason: 'Einwilligung',
          approvedBy: 'StB',
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(stores.map((s) => s.close()));
  return (writers * each) / seconds;
}

export async function main(): Promise<void> {
  if (!postgresGate.available) {
    console.log(`postgres: skipped — ${postgresGate.reason}`);
    return;
  }
  const server = await startTestPostgres();
  try {
    await seed(server);
    const loads = await loadTimes(server.url);
    console.log(
      `postgres: load a ${ENTRIES.toLocaleString('en')}-entry PostgreSQL store (connect, LISTEN, read, index)`,
    );
    console.log(
      `  median of 5: ${Math.round(median(loads))} ms (target < 1000 ms) — ${median(loads) < 1000 ? 'meets' : 'misses'}`,
    );

    const store = createPostgresWhitelistStore({ connectionString: server.url, schema: SCHEMA });
    const pgWhitelist = createWhitelist(store);
    const memory = createWhitelist(
      new MemoryWhitelistStore(Array.from({ length: ENTRIES }, (_, i) => entry(i))),
    );
    await Promise.all([pgWhitelist.snapshot(), memory.snapshot()]);
    const to = Array.from({ length: 10_000 }, (_, i) =>
      i % 3 === 0
        ? `info@mandant${(i * 7) % ENTRIES}.de`
        : i % 3 === 1
          ? `post${i | 1}@mandant${i | 1}.de`
          : `x${i}@gmx.de`,
    );
    const rates = {
      pg: [] as number[],
      memory: [] as number[],
      pgIndex: [] as number[],
      memoryIndex: [] as number[],
    };
    const pgIndex = await pgWhitelist.snapshot();
    const memoryIndex = await memory.snapshot();
    const fixed = (index: typeof pgIndex) => ({ snapshot: async () => index }) as unknown as Whitelist;
    // Interleaved, and the order swapped every round, so neither always runs first.
    for (let round = 0; round < ROUNDS; round++) {
      const pair = [
        async () => rates.pg.push(await decisionsPerSecond(pgWhitelist, to)),
        async () => rates.memory.push(await decisionsPerSecond(memory, to)),
        async () => rates.pgIndex.push(await decisionsPerSecond(fixed(pgIndex), to)),
        async () => rates.memoryIndex.push(await decisionsPerSecond(fixed(memoryIndex), to)),
      ];
      for (const run of round % 2 === 0 ? pair : pair.reverse()) await run();
    }
    await store.close();
    const fmt = (values: number[]) => `${Math.round(median(values)).toLocaleString('en')}/s`;
    const ratio = median(rates.pg) / median(rates.memory);
    const indexRatio = median(rates.pgIndex) / median(rates.memoryIndex);
    console.log(
      `  decisions per second, 100k entries (median of ${ROUNDS} interleaved rounds, order alternating):`,
    );
    console.log(
      `    whitelist.snapshot() + decide per message: PostgreSQL store ${fmt(rates.pg)}, memory store ${fmt(rates.memory)}; ratio ${ratio.toFixed(2)}x (target >= 0.95) — ${ratio >= 0.95 ? 'meets' : 'misses'}`,
    );
    console.log(
      `    decide with each store's index: ${fmt(rates.pgIndex)} vs ${fmt(rates.memoryIndex)}; ratio ${indexRatio.toFixed(2)}x`,
    );

    const { copy, decision } = await propagation(server);
    console.log(
      `  change propagation to a second instance (${CHANGES} adds, from the audit row's commit-time clock):`,
    );
    console.log(`    to its in-memory copy: p50 ${percentile(copy, 50)} ms, p99 ${percentile(copy, 99)} ms`);
    console.log(
      `    to its next decision (index of 100k entries rebuilt): p50 ${percentile(decision, 50)} ms, p99 ${percentile(decision, 99)} ms (target < 1000 ms)`,
    );

    const one = await addsPerSecond(server.url, 1, 300);
    const eight = await addsPerSecond(server.url, 8, 50);
    console.log(
      `  adds per second (each a transaction with its audit row, fsync on): 1 writer ${Math.round(one)}/s, 8 writers ${Math.round(eight)}/s`,
    );
  } finally {
    await server.destroy();
  }
}
