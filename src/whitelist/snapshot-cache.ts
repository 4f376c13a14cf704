import { createWhitelistIndex, type WhitelistIndex } from '../policy/whitelist-index.js';
import type { WhitelistEntry } from './types.js';

/**
 * Builds the policy's whitelist index from a store and keeps it while `store.revision()` is
 * unchanged. A store without `revision()` is listed on every call. The index holds expired entries
 * too: it ignores each entry from its `expiresAt` on, at the time of each decision, so a cached
 * index never keeps an expired entry alive.
 */
export class SnapshotCache {
  readonly #list: () => Promise<readonly WhitelistEntry[]>;
  readonly #revision: (() => Promise<string>) | undefined;
  #cache: { readonly revision: string; readonly index: WhitelistIndex } | undefined;
  #loading: { readonly revision: string; readonly index: Promise<WhitelistIndex> } | undefined;
  #loads = 0;

  /** `list` and `revision` are the store's methods (`revision` if it has one), wrapped for errors. */
  constructor(list: () => Promise<readonly WhitelistEntry[]>, revision: (() => Promise<string>) | undefined) {
    this.#list = list;
    this.#revision = revision;
  }

  async get(): Promise<WhitelistIndex> {
    if (this.#revision === undefined) return createWhitelistIndex(await this.#list());
    const revision = await this.#revision();
    if (this.#cache?.revision === revision) return this.#cache.index;
    // Concurrent callers of the same revision share one load.
    if (this.#loading?.revision === revision) return this.#loading.index;
    const load = ++this.#loads;
    const index = this.#list().then((entries) => {
      const built = createWhitelistIndex(entries);
      // The revision was read before the list, so the list is at least that new. Only the latest
      // load may fill the cache, so that a slow old one cannot replace a newer index.
      if (load === this.#loads) this.#cache = { revision, index: built };
      return built;
    });
    this.#loading = { revision, index };
    const done = () => {
      if (this.#loading?.index === index) this.#loading = undefined;
    };
    index.then(done, done);
    return index;
  }
}
