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
  readonly #byDirection = {
    outbound: new MatchIndex<WhitelistEntry>(),
    inbound: new MatchIndex<WhitelistEntry>(),
  };

  constructor(entries: readonly WhitelistEntry[]) {
    for (const entry of entries) this.#byDirection[entry.direction].add(entry);
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
    return this.#byDirection[direction].find(addressKey, domain, (entry) => unexpired(entry, t));
  }
}

// Parsed only for the matching candidates, so the index keeps no per-entry wrapper objects.
// An unparsable expiresAt yields NaN, and NaN > t is false: such an entry never applies.
function unexpired(entry: WhitelistEntry, t: number): boolean {
  return entry.expiresAt === undefined || Date.parse(entry.expiresAt) > t;
}

/** Builds a {@link WhitelistIndex}. Entries must already be normalized (the whitelist does that). */
export function createWhitelistIndex(entries: readonly WhitelistEntry[]): WhitelistIndex {
  return new Index(entries);
}

/** An index with no entries. */
export const EMPTY_WHITELIST: WhitelistIndex = createWhitelistIndex([]);
