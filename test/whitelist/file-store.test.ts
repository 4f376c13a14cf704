import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeFileAtomic } from '../../src/whitelist/atomic-write.js';
import { FileWhitelistStore } from '../../src/whitelist/index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENTRY: WhitelistEntry = {
  id: 'e1',
  direction: 'inbound',
  scope: 'address',
  value: 'buchhaltung@mandant.example.test',
  reason: 'Mandant sendet nur unverschlüsselt',
  approvedBy: 'StB Muster',
  consentRef: 'EW-1',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
};

describe('FileWhitelistStore file handling', () => {
  test('a missing file is an empty store and is created on the first write only', async () => {
    const file = join(dir, 'new.json');
    const store = new FileWhitelistStore(file);
    expect(await store.list()).toEqual([]);
    expect(await store.revision()).toBe('missing');
    expect(await store.remove('nothing')).toBe(false);
    expect(existsSync(file)).toBe(false);
    await store.add(ENTRY);
    expect(existsSync(file)).toBe(true);
  });

  test('writes pretty-printed JSON with a format tag, fields in order, mode 0600', async () => {
    const file = join(dir, 'format.json');
    const store = new FileWhitelistStore(file);
    const { consentRef: _c, expiresAt: _e, ...minimal } = ENTRY;
    await store.add({ ...minimal, id: 'e2', value: 'a@mandant.example.test', expiresAt: ENTRY.expiresAt! });
    await store.add({ ...ENTRY, createdAt: ENTRY.createdAt });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('{\n  "format": "forced-tls-whitelist",\n  "version": 1,\n  "entries": [\n')).toBe(
      true,
    );
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('"reason": "Mandant sendet nur unverschlüsselt"');
    const keys = [...text.matchAll(/^ {6}"(\w+)":/gm)].map((m) => m[1]);
    expect(keys.slice(8)).toEqual(Object.keys(ENTRY));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test('a rewrite keeps the permissions the administrator set', async () => {
    const file = join(dir, 'mode.json');
    const store = new FileWhitelistStore(file);
    await store.add(ENTRY);
    chmodSync(file, 0o640);
    await store.add({ ...ENTRY, id: 'e3', value: 'x@mandant.example.test' });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  test('leaves only the file behind: no lock, no temp file', async () => {
    const sub = mkdtempSync(join(dir, 'clean-'));
    const store = new FileWhitelistStore(join(sub, 'w.json'));
    await Promise.all([store.add(ENTRY), store.add({ ...ENTRY, id: 'e9', value: 'y@mandant.example.test' })]);
    await store.remove('e1');
    expect(readdirSync(sub)).toEqual(['w.json']);
  });

  test('revision differs for every write, even same-size rewrites within one millisecond', async () => {
    const store = new FileWhitelistStore(join(dir, 'revisions.json'));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await store.add({ ...ENTRY, reason: `reason ${i % 10}` });
      seen.add(await store.revision());
    }
    expect(seen.size).toBe(20);
  });

  test('a removal of an unknown id does not rewrite the file', async () => {
    const store = new FileWhitelistStore(join(dir, 'noop.json'));
    await store.add(ENTRY);
    const before = await store.revision();
    expect(await store.remove('unknown')).toBe(false);
    expect(await store.revision()).toBe(before);
  });

  test('a hand-edited file is picked up by a running store', async () => {
    const file = join(dir, 'edited.json');
    const store = new FileWhitelistStore(file);
    await store.add(ENTRY);
    const edited = { ...ENTRY, reason: 'edited by hand' };
    writeFileSync(file, JSON.stringify({ format: 'forced-tls-whitelist', version: 1, entries: [edited] }));
    expect(await store.list()).toEqual([edited]);
  });

  test('writeFileAtomic: an aborted write leaves the old file and no temp file', async () => {
    const file = join(dir, 'atomic.txt');
    writeFileSync(file, 'old');
    const abort = async () => {
      throw new Error('abort');
    };
    await expect(
      writeFileAtomic(file, 'new', { mode: 0o600, previousMtimeMs: 0, beforeRename: abort }),
    ).rejects.toThrow('abort');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  test.each([
    ['an empty path', { path: ' ' }, 'path'],
    ['a negative lockTimeoutMs', { path: 'x.json', lockTimeoutMs: -1 }, 'lockTimeoutMs'],
    ['a fractional staleLockMs', { path: 'x.json', staleLockMs: 1.5 }, 'staleLockMs'],
    ['a mode beyond 0o777', { path: 'x.json', mode: 0o1777 }, 'mode'],
  ])('refuses %s with EPOLICY', (_name, options, path) => {
    expect(() => new FileWhitelistStore(options)).toThrow(expect.objectContaining({ code: 'EPOLICY', path }));
  });
});
