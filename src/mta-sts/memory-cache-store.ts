import { describeCacheEntryProblem, findCacheEntryProblem, frozenCacheEntry } from './cache-entry.js';
import type { MtaStsCacheEntry, MtaStsCacheStore } from './cache-types.js';
import { cacheStoreError } from './store-error.js';

/**
 * An MTA-STS policy cache in memory: nothing survives the process, so after a restart every
 * domain's policy is fetched again (and a cached `enforce` policy cannot protect the first send
 * against an attacker blocking the fetch). Entries are copied and frozen on the way in.
 *
 * @example
 * ```ts
 * const mtaSts = createMtaStsResolver({ store: new MemoryMtaStsCacheStore() });
 * ```
 */
export class MemoryMtaStsCacheStore implements MtaStsCacheStore {
  readonly #entries = new Map<string, MtaStsCacheEntry>();

  /** The entry of exactly `domain`, expired ones too. */
  async get(domain: string): Promise<MtaStsCacheEntry | undefined> {
    return this.#entries.get(domain);
  }

  /** Stores a copy of the entry; rejects a malformed one with `ESTORE` naming the field. */
  async set(entry: MtaStsCacheEntry): Promise<void> {
    const problem = findCacheEntryProblem(entry);
    if (problem !== undefined) {
      throw cacheStoreError('memory', describeCacheEntryProblem(problem), { path: problem.path });
    }
    this.#entries.set(entry.domain, frozenCacheEntry(entry));
  }

  async delete(domain: string): Promise<boolean> {
    return this.#entries.delete(domain);
  }

  /** Every entry, in the order domains were first stored. */
  async list(): Promise<readonly MtaStsCacheEntry[]> {
    return [...this.#entries.values()];
  }
}
