import assert from 'node:assert/strict';
import type { Clock } from '../internal/clock.js';
import type { WhitelistStore } from '../whitelist/types.js';
import { type ContractTest, contractCase, readContractArguments } from './contract-runner.js';
import { byId, ContractEntries } from './whitelist-contract-entries.js';

/** The test function of any runner: vitest's or jest's `test`, node:test's `test`, mocha's `it`. */
export type WhitelistStoreContractTest = ContractTest;

/** Options for {@link runWhitelistStoreContract}. */
export interface WhitelistStoreContractOptions {
  /** Stamps the sample entries' times. @default a fixed clock at 2026-01-15T09:30:00.000Z */
  readonly clock?: Clock;
  /**
   * Opens the same data again after `store` was closed (a new instance on the same file, table…).
   * Given, the suite also checks that resolved writes survive.
   */
  readonly reopen?: (store: WhitelistStore) => WhitelistStore | Promise<WhitelistStore>;
  /** Whether the store implements `revision()`; the suite then checks it changes with every change. @default true */
  readonly revision?: boolean;
  /** Entries for the "many entries" test. @default 100 */
  readonly manyEntries?: number;
  /** Prefix of every test name. @default 'whitelist store contract' */
  readonly name?: string;
}

const FIXED = new Date('2026-01-15T09:30:00.000Z');
const CONTRACT_FIELDS = {
  clock: 'function',
  reopen: 'function',
  revision: 'boolean',
  manyEntries: 'number',
  name: 'string',
} as const;

/**
 * Registers the tests every {@link WhitelistStore} must pass, with the given runner's `test`.
 * Assertions use `node:assert/strict`, time comes from the injected clock, nothing sleeps.
 *
 * @example
 * ```ts
 * import { test } from 'vitest';
 * import { runWhitelistStoreContract } from 'forced-tls/testing';
 * runWhitelistStoreContract(test, () => new MyDatabaseWhitelistStore(pool));
 * ```
 */
export function runWhitelistStoreContract(
  test: WhitelistStoreContractTest,
  createStore: () => WhitelistStore | Promise<WhitelistStore>,
  input?: WhitelistStoreContractOptions,
): void {
  const options = readContractArguments<WhitelistStoreContractOptions>(
    'runWhitelistStoreContract',
    test,
    createStore,
    input,
    CONTRACT_FIELDS,
  );
  const entries = new ContractEntries(options.clock ?? (() => new Date(FIXED)));
  const it = contractCase(test, options.name ?? 'whitelist store contract', createStore);

  it('list() of a new store is empty', async (store) => {
    assert.deepEqual([...(await store.list())], []);
  });
  it('add() then list() returns the entry with every field', async (store) => {
    const entry = entries.full();
    await store.add(entry);
    assert.deepEqual(byId(await store.list()), [entry]);
  });
  it('an entry without optional fields comes back without them', async (store) => {
    const entry = entries.minimal();
    await store.add(entry);
    const [listed] = await store.list();
    assert.deepEqual({ ...listed }, entry);
    assert.equal(Object.hasOwn(listed ?? {}, 'consentRef'), false, 'no consentRef key');
    assert.equal(Object.hasOwn(listed ?? {}, 'expiresAt'), false, 'no expiresAt key');
  });
  it('add() with an existing id replaces the entry', async (store) => {
    const first = entries.full();
    const other = entries.minimal();
    await store.add(first);
    await store.add(other);
    const replacement = entries.minimal({ id: first.id, reason: 'Neue Einwilligung vom 2. Februar' });
    await store.add(replacement);
    assert.deepEqual(byId(await store.list()), byId([replacement, other]));
  });
  it('remove() resolves true once, then false, and keeps the other entries', async (store) => {
    const [a, b] = [entries.full(), entries.minimal()];
    await store.add(a);
    await store.add(b);
    assert.equal(await store.remove(a.id), true);
    assert.equal(await store.remove(a.id), false);
    assert.equal(await store.remove('no-such-id'), false);
    assert.deepEqual(byId(await store.list()), [b]);
  });
  it('holds many entries, each listed exactly once', async (store) => {
    const added = Array.from({ length: options.manyEntries ?? 100 }, (_, i) =>
      i % 2 === 0 ? entries.full() : entries.minimal(),
    );
    for (const entry of added) await store.add(entry);
    assert.deepEqual(byId(await store.list()), byId(added));
  });
  it('concurrent add() calls lose nothing', async (store) => {
    const added = Array.from({ length: 20 }, () => entries.minimal());
    await Promise.all(added.map((entry) => store.add(entry)));
    assert.deepEqual(byId(await store.list()), byId(added));
  });
  it('keeps unicode text unchanged', async (store) => {
    const entry = entries.full({
      value: 'xn--mller-steuer-dlb.de',
      reason: 'Mandantin Müller – Einwilligung 📄 vom 3.2.; 中文; שלום; "quoted" \\ back\nzweite Zeile',
      approvedBy: 'Jürgen Weiß (Kanzlei Öztürk & Søren)',
      consentRef: 'Akte ÄÖÜ-ß/2026-№7',
    });
    await store.add(entry);
    assert.deepEqual(byId(await store.list()), [entry]);
  });
  it('lists expired entries too (the core filters by time)', async (store) => {
    const entry = entries.expired();
    await store.add(entry);
    assert.deepEqual(byId(await store.list()), [entry]);
  });
  it('an array returned by list() does not change with later writes', async (store) => {
    const [a, b] = [entries.full(), entries.minimal()];
    await store.add(a);
    const before = await store.list();
    const copy = byId(before);
    await store.add(b);
    await store.remove(a.id);
    assert.deepEqual(byId(before), copy);
  });
  if (options.revision !== false) {
    it('revision() is stable without changes and differs after each change', async (store) => {
      assert.equal(typeof store.revision, 'function', 'no revision(); pass { revision: false } if intended');
      const revision = () => store.revision!();
      const seen = [await revision()];
      assert.equal(await revision(), seen[0], 'stable without changes');
      const entry = entries.full();
      await store.add(entry);
      seen.push(await revision());
      await store.add({ ...entry, reason: `${entry.reason}.` });
      seen.push(await revision());
      await store.remove(entry.id);
      seen.push(await revision());
      assert.equal(new Set(seen).size, seen.length, `revisions must all differ: ${seen.join(', ')}`);
    });
  }
  if (options.reopen !== undefined) {
    const reopen = options.reopen;
    it('resolved writes survive reopening', async (store, close) => {
      const [a, b, c] = [entries.full(), entries.minimal(), entries.expired()];
      for (const entry of [a, b, c]) await store.add(entry);
      await store.remove(b.id);
      await close();
      const again = await reopen(store);
      try {
        assert.deepEqual(byId(await again.list()), byId([a, c]));
      } finally {
        await again.close?.();
      }
    });
  }
}
