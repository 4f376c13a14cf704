import { describe, expect, test } from 'vitest';
import { runWhitelistStoreContract } from '../../src/testing/index.js';
import type { WhitelistEntry, WhitelistStore } from '../../src/whitelist/types.js';

type Registered = Map<string, () => Promise<void>>;

/** Collects the contract's tests instead of running them, so each can be run against a broken store. */
function collect(
  createStore: () => WhitelistStore,
  reopen?: (s: WhitelistStore) => WhitelistStore,
): Registered {
  const tests: Registered = new Map();
  runWhitelistStoreContract((name, fn) => tests.set(name, fn), createStore, reopen ? { reopen } : {});
  return tests;
}

async function failing(tests: Registered): Promise<string[]> {
  const failed: string[] = [];
  for (const [name, fn] of tests) {
    try {
      await fn();
    } catch {
      failed.push(name.replace('whitelist store contract: ', ''));
    }
  }
  return failed;
}

/** A store that is correct, except for what a subclass breaks. */
class ArrayStore implements WhitelistStore {
  entries: WhitelistEntry[] = [];
  version = 0;
  async list(): Promise<readonly WhitelistEntry[]> {
    return [...this.entries];
  }
  async add(entry: WhitelistEntry): Promise<void> {
    this.entries = [...this.entries.filter((e) => e.id !== entry.id), { ...entry }];
    this.version++;
  }
  async remove(id: string): Promise<boolean> {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.id !== id);
    this.version++;
    return this.entries.length !== before;
  }
  async revision(): Promise<string> {
    return String(this.version);
  }
}

describe('runWhitelistStoreContract catches broken stores', () => {
  test('a correct store passes every test, durability included', async () => {
    // Reopening hands the data to a new instance, as a file or database would.
    const reopen = (store: WhitelistStore) =>
      Object.assign(new ArrayStore(), { entries: (store as ArrayStore).entries });
    const tests = collect(() => new ArrayStore(), reopen);
    expect(tests.size).toBeGreaterThanOrEqual(12);
    expect(await failing(tests)).toEqual([]);
  });

  test('a store that forgets everything on reopening fails the durability test only', async () => {
    expect(
      await failing(
        collect(
          () => new ArrayStore(),
          () => new ArrayStore(),
        ),
      ),
    ).toEqual(['resolved writes survive reopening']);
  });

  test.each([
    [
      'appends instead of replacing',
      class extends ArrayStore {
        override async add(entry: WhitelistEntry) {
          this.entries = [...this.entries, entry];
        }
      },
      'add() with an existing id replaces the entry',
    ],
    [
      'drops optional fields',
      class extends ArrayStore {
        override async add({ consentRef: _c, ...entry }: WhitelistEntry) {
          await super.add(entry);
        }
      },
      'add() then list() returns the entry with every field',
    ],
    [
      'stores optional fields as undefined',
      class extends ArrayStore {
        override async add(entry: WhitelistEntry) {
          await super.add({ consentRef: undefined, expiresAt: undefined, ...entry } as never);
        }
      },
      'an entry without optional fields comes back without them',
    ],
    [
      'says true for every remove',
      class extends ArrayStore {
        override async remove(id: string) {
          await super.remove(id);
          return true;
        }
      },
      'remove() resolves true once, then false, and keeps the other entries',
    ],
    [
      'filters expired entries itself',
      class extends ArrayStore {
        override async list() {
          return this.entries.filter(
            (e) => e.expiresAt === undefined || Date.parse(e.expiresAt) > Date.now(),
          );
        }
      },
      'lists expired entries too (the core filters by time)',
    ],
    [
      'hands out its live array',
      class extends ArrayStore {
        override async list() {
          return this.entries;
        }
        override async add(entry: WhitelistEntry) {
          this.entries.push(entry);
        }
      },
      'an array returned by list() does not change with later writes',
    ],
    [
      'has a constant revision',
      class extends ArrayStore {
        override async revision() {
          return 'same';
        }
      },
      'revision() is stable without changes and differs after each change',
    ],
    [
      'loses concurrent writes (read, await, write)',
      class extends ArrayStore {
        override async add(entry: WhitelistEntry) {
          const current = this.entries;
          await new Promise((resolve) => setImmediate(resolve));
          this.entries = [...current, entry];
        }
      },
      'concurrent add() calls lose nothing',
    ],
  ])('a store that %s fails the contract', async (_what, Broken, expected) => {
    expect(await failing(collect(() => new Broken()))).toContain(expected);
  });
});
