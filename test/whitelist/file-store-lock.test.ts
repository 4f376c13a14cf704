import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { acquireFileLock } from '../../src/whitelist/file-lock.js';
import { FileWhitelistStore } from '../../src/whitelist/index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let serial = 0;
function entry(): WhitelistEntry {
  serial++;
  return {
    id: `id-${serial}`,
    direction: 'outbound',
    scope: 'domain',
    value: `m${serial}.example.test`,
    reason: 'r',
    approvedBy: 'a',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function deadPid(): number {
  // A process that has exited (and been reaped) has a pid no live process holds for a while.
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

function setup(name: string, lock: string, ageMs = 0): { file: string; store: FileWhitelistStore } {
  const file = join(dir, `${name}.json`);
  writeFileSync(`${file}.lock`, lock);
  if (ageMs > 0) {
    const then = (Date.now() - ageMs) / 1000;
    utimesSync(`${file}.lock`, then, then);
  }
  return { file, store: new FileWhitelistStore({ path: file, lockTimeoutMs: 150 }) };
}

describe('FileWhitelistStore lock', () => {
  test('a stale lock from a dead process on this host is recovered at once', async () => {
    const { file, store } = setup('dead', JSON.stringify({ pid: deadPid(), host: hostname(), token: 't' }));
    const e = entry();
    await store.add(e);
    expect(await store.list()).toEqual([e]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  test('a lock older than staleLockMs is recovered even if its pid is alive', async () => {
    const lock = JSON.stringify({ pid: process.pid, host: hostname(), token: 't' });
    const { file, store } = setup('old', lock, 60_000);
    await store.add(entry());
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  test('an empty lock file (holder killed before writing it) is recovered by age', async () => {
    const { store } = setup('empty-old', '', 60_000);
    await expect(store.add(entry())).resolves.toBeUndefined();
  });

  test.each([
    ['a live process on this host', JSON.stringify({ pid: process.pid, host: hostname(), token: 't' })],
    ['a process on another host', JSON.stringify({ pid: 1, host: 'another-host.example.test', token: 't' })],
    ['an unknown holder (empty, fresh)', ''],
  ])(
    'a fresh lock held by %s is respected: ESTORE after lockTimeoutMs, nothing written',
    async (_holder, lock) => {
      const { file, store } = setup(`held-${serial++}`, lock);
      const error = await store.add(entry()).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ESTORE' });
      expect((error as Error).message).toContain('timed out after 150 ms');
      expect((error as Error).message).toContain(`${file}.lock`);
      expect(readFileSync(`${file}.lock`, 'utf8')).toBe(lock);
      expect(existsSync(file)).toBe(false);
    },
  );

  test('a write into a missing directory fails with ESTORE and creates nothing', async () => {
    const sub = join(dir, 'missing-directory');
    const store = new FileWhitelistStore(join(sub, 'whitelist.json'));
    await expect(store.add(entry())).rejects.toMatchObject({ code: 'ESTORE' });
    expect(existsSync(sub)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('an orphaned temp file of a killed writer is replaced, not read', async () => {
    const file = join(dir, 'orphan.json');
    writeFileSync(`${file}.tmp`, '{"format":"forced-tls-whitelist","version":1,"entries":[');
    const store = new FileWhitelistStore(file);
    const e = entry();
    await store.add(e);
    expect(await new FileWhitelistStore(file).list()).toEqual([e]);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  test('a holder whose lock was taken over notices it and does not remove the new lock', async () => {
    const file = join(dir, 'taken.json');
    const lock = await acquireFileLock(file, { timeoutMs: 100, staleMs: 30_000 });
    expect(await lock.stillHeld()).toBe(true);
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: 'other' }));
    expect(await lock.stillHeld()).toBe(false);
    await lock.release();
    expect(readFileSync(`${file}.lock`, 'utf8')).toContain('"other"');
  });

  test('a break guard left by a dead breaker is cleared, then the stale lock is broken', async () => {
    const dead = JSON.stringify({ pid: deadPid(), host: hostname(), token: 't' });
    const { file, store } = setup('guard-dead', dead);
    writeFileSync(`${file}.lock.break`, dead);
    await store.add(entry());
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(existsSync(`${file}.lock.break`)).toBe(false);
  });

  test('while another live process holds the break guard, a stale lock is left to it', async () => {
    const { file, store } = setup(
      'guard-live',
      JSON.stringify({ pid: deadPid(), host: hostname(), token: 't' }),
    );
    writeFileSync(`${file}.lock.break`, JSON.stringify({ pid: process.pid, host: hostname(), token: 'g' }));
    await expect(store.add(entry())).rejects.toMatchObject({ code: 'ESTORE' });
    expect(existsSync(`${file}.lock`)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});
