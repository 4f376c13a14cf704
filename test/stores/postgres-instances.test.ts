import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresWhitelistStore } from '../../src/stores/postgres/index.js';
import { createWhitelist, type Whitelist } from '../../src/whitelist/index.js';
import { ROOT } from '../cli/helpers.js';
import { runNode } from '../cli/run-bin.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';

interface Seen {
  readonly level: string;
  readonly source: string;
  readonly at: number;
}

/** The decider fixture in its own process, and the decisions it reported. */
function startDecider(url: string, schema: string, address: string) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/postgres/decider.ts', url, schema, address],
    { cwd: ROOT, stdio: 'pipe' },
  );
  const seen: Seen[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  createInterface({ input: child.stdout }).on('line', (line) => seen.push(JSON.parse(line) as Seen));
  const waitFor = async (level: string, timeoutMs: number): Promise<Seen> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = seen.find((s) => s.level === level);
      if (hit !== undefined) return hit;
      if (Date.now() > end || child.exitCode !== null) {
        throw new Error(`decider never decided ${level}: ${JSON.stringify(seen)} ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return {
    seen,
    waitFor,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

describe.skipIf(!postgresGate.available)('two app instances on one PostgreSQL (separate processes)', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.destroy());

  /** When the database recorded audit row `seq` (clock_timestamp() in the trigger, before commit). */
  const recordedAt = async (schema: string, seq: number) => {
    const [row] = await server.sql<{ t: string }>(
      `SELECT (extract(epoch FROM recorded_at) * 1000)::text AS t FROM "${schema}".whitelist_audit WHERE seq = $1`,
      [seq],
    );
    return Number(row?.t);
  };

  const input = {
    direction: 'outbound' as const,
    scope: 'domain' as const,
    value: 'mandant-gmbh.example',
    reason: 'Mandant hat der unverschlüsselten Zustellung schriftlich zugestimmt',
    approvedBy: 'StB Erika Mustermann',
  };

  test('an add in one instance, then its removal, reach the other instance’s next decision within 1 s', async () => {
    const schema = uniqueSchema('two');
    const store = createPostgresWhitelistStore({ connectionString: server.url, schema });
    const whitelist: Whitelist = createWhitelist(store);
    await store.ready();
    const decider = startDecider(server.url, schema, 'info@mandant-gmbh.example');
    try {
      expect((await decider.waitFor('encrypt', 15_000)).source).toBe('default');
      const entry = await whitelist.add(input, 'Kanzleiverwaltung');
      const allowed = await decider.waitFor('may', 2_000);
      expect(allowed.source).toBe('whitelist');
      const addLatency = allowed.at - (await recordedAt(schema, 1));
      expect(addLatency).toBeLessThan(1000);

      const before = decider.seen.length;
      expect(await whitelist.remove(entry.id, 'Kanzleiverwaltung')).toBe(true);
      await expect.poll(() => decider.seen.length, { timeout: 2_000, interval: 5 }).toBeGreaterThan(before);
      const revoked = decider.seen[before]!;
      expect(revoked).toMatchObject({ level: 'encrypt', source: 'default' });
      const removeLatency = revoked.at - (await recordedAt(schema, 2));
      expect(removeLatency).toBeLessThan(1000);
      console.log(`propagation to the other process: add ${addLatency} ms, remove ${removeLatency} ms`);
    } finally {
      await decider.stop();
      await store.close();
    }
  }, 30_000);

  test('a change made with the CLI (a third process) reaches the other instance within 1 s', async () => {
    const schema = uniqueSchema('cli');
    // The schema exists before the decider starts, as in a deployment.
    const setup = createPostgresWhitelistStore({ connectionString: server.url, schema });
    await setup.migrate();
    await setup.close();
    const decider = startDecider(server.url, schema, 'post@praxis.example');
    try {
      await decider.waitFor('encrypt', 15_000);
      const cli = await runNode(
        [
          '--import',
          'tsx',
          'src/cli/bin.ts',
          'whitelist',
          'add',
          'praxis.example',
          '--store',
          server.url,
          '--schema',
          schema,
          '--reason',
          'Einwilligung liegt vor',
          '--approved-by',
          'Dr. Praxis',
        ],
        { timeoutMs: 20_000 },
      );
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);
      const allowed = await decider.waitFor('may', 2_000);
      expect(allowed.at - (await recordedAt(schema, 1))).toBeLessThan(1000);
    } finally {
      await decider.stop();
    }
  }, 40_000);
});
