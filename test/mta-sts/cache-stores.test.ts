import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import {
  FileMtaStsCacheStore,
  MemoryMtaStsCacheStore,
  MTA_STS_CACHE_FILE_FORMAT,
  type MtaStsCacheEntry,
  type MtaStsCacheStore,
} from '../../src/mta-sts/index.js';
import { runMtaStsCacheContract } from '../../src/testing/index.js';

let dir: string;
let files = 0;
const nextFile = () => join(dir, `cache-${++files}.json`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forced-tls-mta-sts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

runMtaStsCacheContract(test, () => new MemoryMtaStsCacheStore(), { name: 'memory store contract' });
runMtaStsCacheContract(test, () => new FileMtaStsCacheStore(nextFile()), {
  name: 'file store contract',
  reopen: (store) => new FileMtaStsCacheStore((store as FileMtaStsCacheStore).path),
});

const entry = (domain: string, overrides: Partial<MtaStsCacheEntry> = {}): MtaStsCacheEntry => ({
  domain,
  id: 'abc123',
  policy: {
    version: 'STSv1',
    mode: 'enforce',
    maxAge: 86_400,
    mx: ['mx.mandant.test'],
    lines: ['version: STSv1', 'mode: enforce', 'mx: mx.mandant.test', 'max_age: 86400'],
  },
  fetchedAt: '2026-01-15T09:30:00.000Z',
  checkedAt: '2026-01-15T09:30:00.000Z',
  expiresAt: '2026-01-16T09:30:00.000Z',
  ...overrides,
});

describe('FileMtaStsCacheStore', () => {
  it('writes readable JSON: format tag, version, entries sorted by domain, mode 0600', async () => {
    const path = nextFile();
    const store = new FileMtaStsCacheStore(path);
    await store.set(entry('zeta.test'));
    await store.set(entry('alpha.test'));
    const doc = JSON.parse(await readFile(path, 'utf8'));
    expect(doc).toMatchObject({ format: MTA_STS_CACHE_FILE_FORMAT, version: 1 });
    expect(doc.entries.map((e: MtaStsCacheEntry) => e.domain)).toEqual(['alpha.test', 'zeta.test']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("two instances on one file (two processes) lose none of each other's writes", async () => {
    const path = nextFile();
    const [a, b] = [new FileMtaStsCacheStore(path), new FileMtaStsCacheStore(path)];
    const domains = Array.from({ length: 20 }, (_, i) => `d${i}.mandant.test`);
    await Promise.all(domains.map((d, i) => (i % 2 === 0 ? a : b).set(entry(d))));
    const fresh = new FileMtaStsCacheStore(path);
    expect((await fresh.list()).map((e) => e.domain).sort()).toEqual([...domains].sort());
    expect(await a.get('d1.mandant.test')).toMatchObject({ domain: 'd1.mandant.test' });
  });

  it.each([
    ['empty', ''],
    ['not JSON', '{"format": "forced-tls-mta-sts-cache", '],
    ['another format', JSON.stringify({ format: 'forced-tls-whitelist', version: 1, entries: [] })],
    ['another version', JSON.stringify({ format: MTA_STS_CACHE_FILE_FORMAT, version: 2, entries: [] })],
    [
      'an invalid entry',
      JSON.stringify({ format: MTA_STS_CACHE_FILE_FORMAT, version: 1, entries: [{ domain: 'x.test' }] }),
    ],
    [
      'a duplicate domain',
      JSON.stringify({
        format: MTA_STS_CACHE_FILE_FORMAT,
        version: 1,
        entries: [entry('a.test'), entry('a.test')],
      }),
    ],
    [
      'a bad mode',
      JSON.stringify({
        format: MTA_STS_CACHE_FILE_FORMAT,
        version: 1,
        entries: [entry('a.test', { policy: { ...entry('a.test').policy, mode: 'strict' as never } })],
      }),
    ],
  ])('a corrupt file (%s) fails with ESTORE and is never overwritten', async (_kind, text) => {
    const path = nextFile();
    await writeFile(path, text);
    const store = new FileMtaStsCacheStore(path);
    await expect(store.get('a.test')).rejects.toMatchObject({
      code: 'ESTORE',
      message: expect.stringContaining(path),
    });
    await expect(store.set(entry('b.test'))).rejects.toMatchObject({ code: 'ESTORE' });
    await expect(store.delete('a.test')).rejects.toMatchObject({ code: 'ESTORE' });
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('names the JSON path of an invalid entry', async () => {
    const path = nextFile();
    const bad = { ...entry('a.test'), expiresAt: 'tomorrow' };
    await writeFile(
      path,
      JSON.stringify({ format: MTA_STS_CACHE_FILE_FORMAT, version: 1, entries: [entry('b.test'), bad] }),
    );
    await expect(new FileMtaStsCacheStore(path).get('a.test')).rejects.toMatchObject({
      code: 'ESTORE',
      path: 'entries[1].expiresAt',
    });
  });

  it('sees a change another process made to the file', async () => {
    const path = nextFile();
    const store = new FileMtaStsCacheStore(path);
    await store.set(entry('a.test'));
    expect(await store.get('b.test')).toBeUndefined();
    await new FileMtaStsCacheStore(path).set(entry('b.test', { id: 'other' }));
    expect(await store.get('b.test')).toMatchObject({ id: 'other' });
  });

  it('refuses bad options with EPOLICY', () => {
    expect(() => new FileMtaStsCacheStore('')).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'path' }),
    );
    expect(() => new FileMtaStsCacheStore({ path: nextFile(), mode: 0o1777 })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'mode' }),
    );
  });
});

describe.each([
  ['memory', () => new MemoryMtaStsCacheStore() as MtaStsCacheStore],
  ['file', () => new FileMtaStsCacheStore(nextFile()) as MtaStsCacheStore],
])('%s store: malformed entries', (_name, create) => {
  it.each([
    ['a domain that is not normalized', entry('Mandant.TEST'), 'domain'],
    ['an id with a hyphen', entry('a.test', { id: 'a-b' }), 'id'],
    ['a time without zone', entry('a.test', { fetchedAt: '2026-01-15T09:30:00' }), 'fetchedAt'],
    [
      'an uppercase mx pattern',
      entry('a.test', { policy: { ...entry('a.test').policy, mx: ['MX.a.test'] } }),
      'policy.mx[0]',
    ],
    [
      'max_age out of range',
      entry('a.test', { policy: { ...entry('a.test').policy, maxAge: 31_557_601 } }),
      'policy.maxAge',
    ],
    ['an unknown field', { ...entry('a.test'), extra: 1 } as MtaStsCacheEntry, 'extra'],
  ])('set() refuses %s with ESTORE naming the field, storing nothing', async (_why, bad, path) => {
    const store = create();
    await expect(store.set(bad)).rejects.toMatchObject({ code: 'ESTORE', path });
    expect(await store.get(bad.domain)).toBeUndefined();
    await store.close?.();
  });
});
