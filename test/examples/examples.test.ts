import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresGate, startTestPostgres, type TestPostgres } from '../support/postgres.js';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
// The demo has its own test (test/cli/demo.test.ts) that also checks what it prints; the retry queue
// needs PostgreSQL and runs below against a real one.
const OWN_TESTS = ['demo.ts', 'retry-queue.ts'];
const examples = readdirSync(dir).filter((f) => f.endsWith('.ts') && !OWN_TESTS.includes(f));

// Every example runs as a user would run it, offline against the test fixtures, and exits 0 by itself.
describe.concurrent('examples', () => {
  it('exist', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples)(
    '%s runs and exits 0',
    async (file) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', `${dir}${file}`], {
        timeout: 30_000,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      });
      expect(stdout.length).toBeGreaterThan(0);
    },
    40_000,
  );
});

describe.skipIf(!postgresGate.available)('examples/retry-queue.ts against a real PostgreSQL', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startTestPostgres();
  }, 60_000);
  afterAll(() => pg?.destroy());

  it('re-queues the transient recipients with pg-boss on Postfix’s schedule until delivered or given up', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', `${dir}retry-queue.ts`], {
      timeout: 60_000,
      env: { ...process.env, NODE_NO_WARNINGS: '1', DATABASE_URL: pg.url },
    });
    const lines = stdout.trim().split('\n');
    const of = (who: string) =>
      lines.filter((l) => l.includes(`${who}@mandant.test`)).map((l) => l.replace(/\s+/g, ' '));
    expect(of('ok')).toEqual([expect.stringMatching(/^\+0 s ok@mandant\.test: delivered over TLSv1\.[23]$/)]);
    expect(of('weg')[0]).toMatch(/^\+0 s weg@mandant\.test: EREJECTED "550 5\.1\.1 No such user": permanent/);
    expect(of('grey')).toEqual([
      '+0 s grey@mandant.test: "451 4.7.1 Greylisted, try again later", transient: queued, retry in 300 s',
      expect.stringMatching(/^\+300 s grey@mandant\.test: delivered over TLSv1\.[23]$/),
    ]);
    // Postfix's schedule: 300, 600, 1200, 2400 s in the queue; the example's lifetime is one hour.
    expect(of('voll').map((l) => l.split(':')[0])).toEqual([
      '+0 s voll@mandant.test',
      '+300 s voll@mandant.test',
      '+600 s voll@mandant.test',
      '+1200 s voll@mandant.test',
      '+2400 s voll@mandant.test',
      '+4800 s voll@mandant.test',
    ]);
    expect(of('voll').at(-1)).toContain('after 4800 s: give up');
    // Every retry went through the queue in PostgreSQL: one job each (grey 1, voll 5), all completed.
    const jobs = await pg.sql<{ state: string; n: number }>(
      "SELECT state, count(*)::int AS n FROM forced_tls_example.job WHERE name = 'mail-retry' GROUP BY state",
    );
    expect(jobs).toEqual([{ state: 'completed', n: 6 }]);
  }, 90_000);
});
