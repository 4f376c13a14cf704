import type { WhitelistEntry } from '../whitelist/types.js';
import { MatchIndex } from './match-index.js';
import type { Direction } from './types.js';

/**
 * An immutable in-memory index of whitelist entries, the input the pure decision needs.
 * Build it from a store's entries (`createWhitelist(store).snapshot()` does that and caches it).
 */
export interface WhitelistIndex {
  /** Number of entries, expired ones included. */
  readonly size: number;
  /** The most specific unexpired entry matching the address, if any. */
  match(
    direction: Direction,
    addressKey: string | undefined,
    domain: string,
    now: Date,
  ): WhitelistEntry | undefined;
}

class Index implements WhitelistIndex {
  readonly #byDirection = { outbound: new MatchIndex<Indexed>(), inbound: new MatchIndex<Indexed>() };

  constructor(entries: readonly WhitelistEntry[]) {
    for (const entry of entries) {
      const expires = entry.expiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(entry.expiresAt);
      this.#byDirection[entry.direction].add({ scope: entry.scope, value: entry.value, entry, expires });
    }
  }

  get size(): number {
    return this.#byDirection.outbound.size + this.#byDirection.inbound.size;
  }

  match(
    direction: Direction,
    addressKey: string | undefined,
    domain: string,
    now: Date,
  ): WhitelistEntry | undefined {
    const t = now.getTime();
    // An unparsable expiresAt yields NaN, and NaN > t is false: such an entry never applies.
    return this.#byDirection[direction].find(addressKey, domain, (item) => item.expires > t)?.entry;
  }
}

interface Indexed {
  readonly scope: WhitelistEntry['scope'];
  readonly value: string;
  readonly entry: WhitelistEntry;
  readonly expires: number;
}

/** Builds a {@link WhitelistIndex}. Entries must already be normalized (the whitelist does that). */
export function createWhitelistIndex(entries: readonly WhitelistEntry[]): WhitelistIndex {
  return new Index(entries);
}

/** An index with no entries. */
export const EMPTY_WHITELIST: WhitelistIndex = createWhitelistIndex([]);
