import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseWhitelistFile } from '../../src/whitelist/file-format.js';
import { FileWhitelistStore } from '../../src/whitelist/index.js';
import { startAddLoop } from './add-loop-process.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileWhitelistStore across processes', () => {
  test('two processes adding 100 entries each at the same time lose none', async () => {
    const file = join(dir, 'whitelist.json');
    const loops = ['a', 'b'].map((prefix) => startAddLoop({ file, prefix, count: 100, gate: true }));
    await Promise.all(loops.map((loop) => loop.ready));
    for (const loop of loops) loop.go();
    const results = await Promise.all(loops.map((loop) => loop.done));
    for (const { code, stderr } of results) expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const reported = loops.flatMap((loop) => [...loop.report.added]);
    expect(reported).toHaveLength(200);
    const stored = parseWhitelistFile(readFileSync(file, 'utf8'), file);
    expect(stored.map((e) => e.id).sort()).toEqual(reported.sort());
    // The writers really ran at the same time: one wrote both before and after the other's entries.
    const switches = stored.filter((e, i) => i > 0 && e.value[0] !== stored[i - 1]?.value[0]).length;
    expect(switches).toBeGreaterThanOrEqual(2);
    // Lock and temp files are gone once both are done.
    expect(readdirSync(dir)).toEqual(['whitelist.json']);
  }, 60_000);

  test('a long-running reader sees changes made through another store instance', async () => {
    const file = join(dir, 'shared.json');
    const app = new FileWhitelistStore(file);
    const cli = new FileWhitelistStore(file);
    expect(await app.list()).toEqual([]);
    const before = await app.revision();
    const entry = {
      id: 'cli-1',
      direction: 'outbound',
      scope: 'domain',
      value: 'mandant.example.test',
      reason: 'added by the CLI',
      approvedBy: 'admin',
      createdAt: '2026-01-01T00:00:00.000Z',
    } as const;
    await cli.add(entry);
    expect(await app.revision()).not.toBe(before);
    expect(await app.list()).toEqual([entry]);
    await cli.remove('cli-1');
    expect(await app.list()).toEqual([]);
  });
});
