import { types } from 'node:util';
import { describeValue, type ErrorCode, ForcedTlsError, isRecord } from '../errors/index.js';
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
    for (let i = 0; i < entries.length; i++) {
      const entry = checkIndexEntry(entries, i);
      this.#byDirection[entry.direction].add(entry);
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
    const index =
      direction === 'outbound' || direction === 'inbound' ? this.#byDirection[direction] : undefined;
    if (index === undefined)
      throw refuse('EPOLICY', 'direction', direction, 'must be "outbound" or "inbound"');
    if (addressKey !== undefined && typeof addressKey !== 'string') {
      throw refuse('EADDRESS', 'addressKey', addressKey, 'must be a string or undefined');
    }
    if (typeof domain !== 'string') throw refuse('EADDRESS', 'domain', domain, 'must be a string');
    checkNow(now);
    return Index.lookup(this, direction, addressKey, domain, now.getTime());
  }

  /** `match` without the argument checks, for the policy's own calls (arguments already valid). */
  static lookup(
    index: Index,
    direction: Direction,
    addressKey: string | undefined,
    domain: string,
    nowMs: number,
  ): WhitelistEntry | undefined {
    return index.#byDirection[direction].find(addressKey, domain, (entry) => activeAt(entry, nowMs));
  }

  matchSubdomains(direction: Direction, domain: string, now: Date): WhitelistEntry | undefined {
    const index =
      direction === 'outbound' || direction === 'inbound' ? this.#byDirection[direction] : undefined;
    if (index === undefined)
      throw refuse('EPOLICY', 'direction', direction, 'must be "outbound" or "inbound"');
    if (typeof domain !== 'string') throw refuse('EADDRESS', 'domain', domain, 'must be a string');
    checkNow(now);
    const nowMs = now.getTime();
    return index.findSubdomainsOf(domain, (entry) => activeAt(entry, nowMs));
  }
}

/**
 * The whitelist's answer for a decision: through the unchecked path for an index built here (its
 * entries were checked when it was built), through `match` for any other implementation.
 *
 * @example
 * ```ts
 * matchWhitelist(index, 'outbound', 'a@b.de', 'b.de', new Date()); // the entry, or undefined
 * ```
 */
export function matchWhitelist(
  index: WhitelistIndex,
  direction: Direction,
  addressKey: string | undefined,
  domain: string,
  now: Date,
): WhitelistEntry | undefined {
  if (index instanceof Index) return Index.lookup(index, direction, addressKey, domain, now.getTime());
  const entry: unknown = index.match(direction, addressKey, domain, now);
  // A foreign index must answer with an entry a decision can read (scope and value as strings).
  if (entry === undefined) return undefined;
  const e = entry as { scope?: unknown; value?: unknown } | null;
  if (typeof e !== 'object' || e === null || typeof e.scope !== 'string' || typeof e.value !== 'string') {
    throw new ForcedTlsError('EPOLICY', 'The whitelist index answered with something that is not an entry', {
      path: 'whitelist',
    });
  }
  return entry as WhitelistEntry;
}

// The entry was checked when the index was built; `nowMs` is a valid time.
function activeAt(entry: WhitelistEntry, nowMs: number): boolean {
  return entry.expiresAt === undefined || Date.parse(entry.expiresAt) > nowMs;
}

function refuse(code: ErrorCode, path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError(code, `Invalid whitelist ${path} ${describeValue(value)}: ${why}`, {
    path,
    value,
  });
}

function checkNow(now: unknown): asserts now is Date {
  if (!isValidDate(now)) throw refuse('EPOLICY', 'now', now, 'must be a valid Date');
}

/**
 * True for a `Date` holding a time (not `Invalid Date`), also one from another realm.
 *
 * @example
 * ```ts
 * isValidDate(new Date()); // true; isValidDate(new Date(NaN)): false
 * ```
 */
export function isValidDate(value: unknown): value is Date {
  // Not instanceof: it runs a proxy's trap, and an object that only inherits from Date.prototype is none.
  return types.isDate(value) && !Number.isNaN(Date.prototype.getTime.call(value));
}

const TEXT_FIELDS = ['id', 'value', 'reason', 'approvedBy', 'createdAt'] as const;

// The index trusts its entries to be normalized (the whitelist did that); it checks only the
// types it and explain() rely on, so that a foreign array fails here, with the entry named.
function checkIndexEntry(entries: readonly unknown[], i: number): WhitelistEntry {
  const path = `entries[${i}]`;
  let entry: unknown;
  let problem: [string, unknown, string] | undefined;
  try {
    entry = entries[i];
    if (!isRecord(entry)) throw refuse('EWHITELIST', path, entry, 'must be a whitelist entry');
    const e = entry as Record<string, unknown>;
    if (e['direction'] !== 'outbound' && e['direction'] !== 'inbound') {
      problem = ['direction', e['direction'], 'must be "outbound" or "inbound"'];
    } else if (e['scope'] !== 'domain' && e['scope'] !== 'subdomains' && e['scope'] !== 'address') {
      problem = ['scope', e['scope'], 'must be "domain", "subdomains" or "address"'];
    } else {
      const field = TEXT_FIELDS.find((f) => typeof e[f] !== 'string');
      if (field !== undefined) problem = [field, e[field], 'must be a string'];
      for (const optional of ['consentRef', 'expiresAt'] as const) {
        if (e[optional] !== undefined && typeof e[optional] !== 'string') {
          problem ??= [optional, e[optional], 'must be a string when given'];
        }
      }
    }
  } catch (error) {
    if (error instanceof ForcedTlsError) throw error;
    throw new ForcedTlsError('EWHITELIST', `Invalid whitelist ${path}: it cannot be read`, {
      path,
      cause: error,
    });
  }
  if (problem !== undefined) throw refuse('EWHITELIST', `${path}.${problem[0]}`, problem[1], problem[2]);
  return entry as unknown as WhitelistEntry;
}

/**
 * True for an object that looks like a {@link WhitelistIndex} (a `match` method and a `size`).
 *
 * @example
 * ```ts
 * isWhitelistIndex(EMPTY_WHITELIST); // true
 * ```
 */
export function isWhitelistIndex(value: unknown): value is WhitelistIndex {
  if (typeof value !== 'object' || value === null) return false;
  try {
    // instanceof runs a proxy's getPrototypeOf trap, hence the try.
    if (value instanceof Index) return true;
  } catch {
    return false;
  }
  if (types.isProxy(value)) return false;
  try {
    return (
      typeof (value as WhitelistIndex).match === 'function' &&
      typeof (value as WhitelistIndex).size === 'number'
    );
  } catch {
    return false;
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
  if (!isRecord(entry)) throw refuse('EWHITELIST', 'entry', entry, 'must be a whitelist entry');
  checkNow(now);
  let expiresAt: unknown;
  try {
    expiresAt = entry.expiresAt;
  } catch (error) {
    throw new ForcedTlsError('EWHITELIST', 'Invalid whitelist entry: expiresAt cannot be read', {
      path: 'expiresAt',
      cause: error,
    });
  }
  if (expiresAt !== undefined && typeof expiresAt !== 'string') {
    throw refuse('EWHITELIST', 'expiresAt', expiresAt, 'must be an ISO 8601 string');
  }
  // NaN > t is false.
  return expiresAt === undefined || Date.parse(expiresAt) > now.getTime();
}

/**
 * Builds a {@link WhitelistIndex}. Entries must already be normalized (the whitelist does that);
 * a value that is not an array, or an entry without the fields' types, throws `EWHITELIST` naming
 * `entries[i].field`.
 */
export function createWhitelistIndex(entries: readonly WhitelistEntry[]): WhitelistIndex {
  let list: readonly WhitelistEntry[] | undefined;
  try {
    // A proxy is copied first: its length and items are then read once, inside this try.
    if (Array.isArray(entries)) list = types.isProxy(entries) ? Array.from(entries) : entries;
  } catch {
    // a revoked or throwing proxy: refused below
  }
  if (list === undefined)
    throw refuse('EWHITELIST', 'entries', entries, 'must be an array of whitelist entries');
  return new Index(list);
}

/** An index with no entries. */
export const EMPTY_WHITELIST: WhitelistIndex = createWhitelistIndex([]);
