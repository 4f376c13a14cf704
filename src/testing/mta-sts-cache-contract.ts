import assert from 'node:assert/strict';
import type { MtaStsCacheEntry, MtaStsCacheStore } from '../mta-sts/index.js';
import type { Clock } from '../whitelist/index.js';
import { type ContractTest, contractCase, readContractArguments } from './contract-runner.js';
import { ContractCacheEntries } from './mta-sts-contract-entries.js';

/** The test function of any runner: vitest's or jest's `test`, node:test's `test`, mocha's `it`. */
export type MtaStsCacheContractTest = ContractTest;

/** Options for {@link runMtaStsCacheContract}. */
export interface MtaStsCacheContractOptions {
  /** Stamps the sample entries' times. @default a fixed clock at 2026-01-15T09:30:00.000Z */
  readonly clock?: Clock;
  /**
   * Opens the same data again after `store` was closed (a new instance on the same file, table…).
   * Given, the suite also checks that resolved writes survive.
   */
  readonly reopen?: (store: MtaStsCacheStore) => MtaStsCacheStore | Promise<MtaStsCacheStore>;
  /** Domains for the "many entries" test. @default 100 */
  readonly manyEntries?: number;
  /** Prefix of every test name. @default 'MTA-STS cache store contract' */
  readonly name?: string;
}

const FIXED = new Date('2026-01-15T09:30:00.000Z');
const CONTRACT_FIELDS = {
  clock: 'function',
  reopen: 'function',
  manyEntries: 'number',
  name: 'string',
} as const;

// A plain deep copy: what the entry looked like at this moment.
const snapshot = (entry: MtaStsCacheEntry | undefined) =>
  entry === undefined ? undefined : structuredClone(entry);

/**
 * Registers the tests every `MtaStsCacheStore` must pass, with the given runner's `test`.
 * Assertions use `node:assert/strict`; times come from the injected clock; nothing sleeps. `list`
 * is checked when the store has it. Arguments of the wrong kind throw `EPOLICY` naming them.
 *
 * @example
 * ```ts
 * import { test } from 'vitest';
 * import { runMtaStsCacheContract } from 'forced-tls/testing';
 * runMtaStsCacheContract(test, () => new MyDatabaseMtaStsCache(pool));
 * ```
 */
export function runMtaStsCacheContract(
  test: MtaStsCacheContractTest,
  createStore: () => MtaStsCacheStore | Promise<MtaStsCacheStore>,
  input: MtaStsCacheContractOptions = {},
): void {
  const options = readContractArguments<MtaStsCacheContractOptions>(
    'runMtaStsCacheContract',
    test,
    createStore,
    input,
    CONTRACT_FIELDS,
  );
  const entries = new ContractCacheEntries(options.clock ?? (() => new Date(FIXED)));
  const it = contractCase(test, options.name ?? 'MTA-STS cache store contract', createStore);
  const list = async (store: MtaStsCacheStore) =>
    [...((await store.list?.()) ?? [])].map(snapshot).sort((a, b) => (a!.domain < b!.domain ? -1 : 1));

  it('get() of a new store is undefined', async (store) => {
    assert.equal(await store.get(entries.domain()), undefined);
    if (store.list !== undefined) assert.deepEqual([...(await store.list())], []);
  });
  it('set() then get() returns the entry with every field', async (store) => {
    const entry = entries.enforce();
    await store.set(entry);
    assert.deepEqual(snapshot(await store.get(entry.domain)), entry);
  });
  it('get() matches the domain exactly: no parent, subdomain or suffix', async (store) => {
    const entry = entries.enforce({ domain: 'mandant.test' });
    await store.set(entry);
    for (const other of ['sub.mandant.test', 'test', 'andant.test', 'mandant.test.de']) {
      assert.equal(await store.get(other), undefined, other);
    }
  });
  it('set() for a stored domain replaces its entry', async (store) => {
    const first = entries.enforce();
    const other = entries.none();
    await store.set(first);
    await store.set(other);
    const replacement = entries.unicode({ domain: first.domain, id: 'renewed2' });
    await store.set(replacement);
    assert.deepEqual(snapshot(await store.get(first.domain)), replacement);
    assert.deepEqual(snapshot(await store.get(other.domain)), other);
  });
  it('delete() resolves true once, then false, and keeps the other entries', async (store) => {
    const [a, b] = [entries.enforce(), entries.none()];
    await store.set(a);
    await store.set(b);
    assert.equal(await store.delete(a.domain), true);
    assert.equal(await store.delete(a.domain), false);
    assert.equal(await store.delete('never.stored.test'), false);
    assert.equal(await store.get(a.domain), undefined);
    assert.deepEqual(snapshot(await store.get(b.domain)), b);
  });
  it('returns expired entries too (the resolver decides about expiry)', async (store) => {
    const entry = entries.expired();
    await store.set(entry);
    assert.deepEqual(snapshot(await store.get(entry.domain)), entry);
  });
  it('keeps a mode none policy without mx patterns, and unicode policy lines, unchanged', async (store) => {
    const [none, unicode] = [entries.none(), entries.unicode()];
    await store.set(none);
    await store.set(unicode);
    assert.deepEqual(snapshot(await store.get(none.domain)), none);
    assert.deepEqual(snapshot(await store.get(unicode.domain)), unicode);
  });
  it('holds many domains, each returned by get() and listed exactly once', async (store) => {
    const added = Array.from({ length: options.manyEntries ?? 100 }, (_, i) =>
      i % 3 === 0 ? entries.none() : entries.enforce(),
    );
    for (const entry of added) await store.set(entry);
    for (const entry of added) assert.deepEqual(snapshot(await store.get(entry.domain)), entry);
    if (store.list !== undefined)
      assert.deepEqual(
        await list(store),
        [...added].sort((a, b) => (a.domain < b.domain ? -1 : 1)),
      );
  });
  it('concurrent set() calls for different domains lose nothing', async (store) => {
    const added = Array.from({ length: 20 }, () => entries.enforce());
    await Promise.all(added.map((entry) => store.set(entry)));
    for (const entry of added) assert.deepEqual(snapshot(await store.get(entry.domain)), entry);
  });
  it('concurrent set() calls for one domain leave one of them whole', async (store) => {
    const domain = entries.domain();
    const versions = Array.from({ length: 10 }, (_, i) => entries.enforce({ domain, id: `version${i}` }));
    await Promise.all(versions.map((entry) => store.set(entry)));
    const stored = snapshot(await store.get(domain));
    assert.ok(
      versions.some((v) => JSON.stringify(v) === JSON.stringify(stored)),
      `got ${JSON.stringify(stored)}`,
    );
  });
  it('an entry returned by get() does not change with later writes', async (store) => {
    const entry = entries.enforce();
    await store.set(entry);
    const before = await store.get(entry.domain);
    const copy = snapshot(before);
    await store.set(entries.none({ domain: entry.domain, id: 'changed' }));
    await store.delete(entry.domain);
    assert.deepEqual(snapshot(before), copy);
  });
  if (options.reopen !== undefined) {
    const reopen = options.reopen;
    it('resolved writes survive reopening', async (store, close) => {
      const [a, b, c] = [entries.enforce(), entries.none(), entries.expired()];
      for (const entry of [a, b, c]) await store.set(entry);
      await store.delete(b.domain);
      const replaced = entries.unicode({ domain: a.domain, id: 'replaced1' });
      await store.set(replaced);
      await close();
      const again = await reopen(store);
      try {
        assert.deepEqual(snapshot(await again.get(a.domain)), replaced);
        assert.equal(await again.get(b.domain), undefined);
        assert.deepEqual(snapshot(await again.get(c.domain)), c);
      } finally {
        await again.close?.();
      }
    });
  }
}
