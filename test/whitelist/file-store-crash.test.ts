import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseWhitelistFile } from '../../src/whitelist/file-format.js';
import { type AddLoop, mustBePresent, startAddLoop } from './add-loop-process.js';
import { transpileFixture } from './transpile-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-crash-'));
let compiled: { readonly script: string; readonly root: string };

// Fifty children under `node --import tsx` would spend most of the test booting the loader.
beforeAll(() => {
  compiled = transpileFixture(fileURLToPath(new URL('../fixtures/whitelist/add-loop.ts', import.meta.url)));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (compiled !== undefined) rmSync(compiled.root, { recursive: true, force: true });
});

const KILLS = 50;
const PARALLEL = 3;

function idsInFile(file: string): Set<string> {
  // Throws (failing the test) if the file does not parse or is not a valid whitelist.
  return new Set(parseWhitelistFile(readFileSync(file, 'utf8'), file).map((e) => e.id));
}

describe('FileWhitelistStore under SIGKILL', () => {
  test(`${KILLS} writers killed at random moments: the file always parses and keeps every resolved write`, async () => {
    const file = join(dir, 'whitelist.json');
    let started = 0;
    let killed = 0;
    const finished: AddLoop[] = [];

    const runOne = async (): Promise<void> => {
      const loop = startAddLoop({
        file,
        prefix: `w${started++}`,
        staleLockMs: 3_000,
        compiled: compiled.script,
      });
      await loop.firstAdd;
      // Kill somewhere in the next few writes: mid-serialization, mid-fsync, around the rename or
      // while holding the lock.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      loop.child.kill('SIGKILL');
      const { signal, code, stderr } = await loop.done;
      expect(signal, `child exited by itself (code ${code}): ${stderr}`).toBe('SIGKILL');
      killed++;
      finished.push(loop);
      const present = idsInFile(file);
      for (const dead of finished) {
        for (const id of mustBePresent(dead.report))
          expect(present.has(id), `resolved add ${id} lost`).toBe(true);
        for (const id of dead.report.removed)
          expect(present.has(id), `resolved remove ${id} undone`).toBe(false);
      }
    };

    const lanes = Array.from({ length: PARALLEL }, async () => {
      while (started < KILLS) await runOne();
    });
    await Promise.all(lanes);

    expect(killed).toBeGreaterThanOrEqual(KILLS);
    const confirmed = finished.reduce((n, loop) => n + loop.report.added.size, 0);
    // The kills must land among writes, not only before the first one.
    expect(confirmed).toBeGreaterThan(KILLS);
    // Children that died holding the lock left it behind; the others recovered it, or they would
    // have failed with ESTORE after lockTimeoutMs and exited by themselves.
  }, 90_000);
});
