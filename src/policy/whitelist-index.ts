import { MatchIndex } from './match-index.js';
import type { Direction } from './types.js';
import type { WhitelistEntry } from './whitelist-entry.js';

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
  /**
   * The most specific unexpired `subdomains` entry covering every subdomain of `domain` (an entry
   * for `domain` itself or for a parent), if any. Address and exact-domain entries never match.
   */
  matchSubdomains(direction: Direction, domain: string, now: Date): WhitelistEntry | undefined;
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
    return this.#byDirection[direction].find(addressKey, domain, (entry) => isEntryActive(entry, now));
  }

  matchSubdomains(direction: Direction, domain: string, now: Date): WhitelistEntry | undefined {
    return this.#byDirection[direction].findSubdomainsOf(domain, (entry) => isEntryActive(entry, now));
  }
}

/**
 * True while a whitelist entry applies at `now`: it has no `expiresAt`, or `expiresAt` is later
 * than `now`. From its `expiresAt` on an entry is inactive; an unparsable `expiresAt` makes it
 * inactive too (fail closed: an entry whose end cannot be read never lowers a requirement).
 * The policy, `Whitelist.list()` and the CLI all ask this one function.
 *
 * @example
 * ```ts
 * isEntryActive({ ...entry, expiresAt: '2027-01-01T00:00:00.000Z' }, new Date('2026-12-31T23:59:59Z')); // true
 * ```
 */
export function isEntryActive(entry: WhitelistEntry, now: Date): boolean {
  // Parsed only for the matching candidates, so the index keeps no per-entry wrapper objects.
  // NaN > t is false.
  return entry.expiresAt === undefined || Date.parse(entry.expiresAt) > now.getTime();
}

/** Builds a {@link WhitelistIndex}. Entries must already be normalized (the whitelist does that). */
export function createWhitelistIndex(entries: readonly WhitelistEntry[]): WhitelistIndex {
  return new Index(entries);
}

/** An index with no entries. */
export const EMPTY_WHITELIST: WhitelistIndex = createWhitelistIndex([]);
