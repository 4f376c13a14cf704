import { describeValue, ForcedTlsError } from '../errors/index.js';
import { isRecord } from '../internal/index.js';
import { type MatchScope, normalizePattern } from '../policy/index.js';
import { DIRECTION_RULE, isDirection, isScope, SCOPE_RULE } from './entry-enums.js';
import { ENTRY_ID, MAX_NAME_LENGTH, MAX_REASON_LENGTH, textProblem } from './text-rules.js';
import type { WhitelistEntry } from './types.js';

/** What is wrong with a stored entry: the field, its value and why. */
export interface EntryProblem {
  readonly field: string;
  readonly value: unknown;
  readonly why: string;
}

/** The fields of a stored entry, in the order files are written. */
export const ENTRY_FIELDS = [
  'id',
  'direction',
  'scope',
  'value',
  'reason',
  'approvedBy',
  'consentRef',
  'createdAt',
  'expiresAt',
] as const;
const KNOWN = new Set<string>(ENTRY_FIELDS);
const OPTIONAL = new Set<string>(['consentRef', 'expiresAt']);
// The exact form `Date.prototype.toISOString()` writes; anything else is refused so that entries
// compare and sort as strings and survive a round trip unchanged.
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// Lowercase LDH labels without punycode: for these, normalization is the identity, which lets a
// 100k-entry file be checked without running UTS #46 on every value.
const PLAIN_DOMAIN =
  /^(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?=[a-z0-9-]{1,63}$)(?!-)[a-z0-9-]*[a-z-][a-z0-9-]*(?<!-)$/;

// A lowercase dot-atom local part: a subset of what normalization accepts and leaves unchanged.
const PLAIN_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

function isPlainDomain(value: string): boolean {
  return value.length <= 253 && PLAIN_DOMAIN.test(value) && !value.includes('xn--');
}

function isNormalized(scope: MatchScope, value: string): boolean {
  if (scope !== 'address') {
    if (isPlainDomain(value)) return true;
  } else {
    const at = value.lastIndexOf('@');
    if (at > 0 && at <= 64 && PLAIN_LOCAL.test(value.slice(0, at)) && isPlainDomain(value.slice(at + 1))) {
      return true;
    }
  }
  try {
    return normalizePattern(value, scope).value === value;
  } catch {
    return false;
  }
}

function isTime(value: unknown): boolean {
  if (typeof value !== 'string' || !CANONICAL_TIME.test(value)) return false;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  // Date.parse rolls 31 February and 24:00 over; the round trip (slow, so only when a field could
  // be out of range) catches that.
  const suspect =
    value.slice(8, 10) > '28' ||
    value.slice(11, 13) > '23' ||
    value.slice(14, 16) > '59' ||
    value.slice(17, 19) > '59';
  return suspect ? new Date(time).toISOString() === value : true;
}

// The text rules of `Whitelist.add`, applied to stored text as it is: what add would never write
// (too long, control characters, surrounding white space, a malformed id) is refused on reading.
const TEXT_RULES = [
  ['reason', MAX_REASON_LENGTH, true],
  ['approvedBy', MAX_NAME_LENGTH, false],
  ['consentRef', MAX_NAME_LENGTH, false],
] as const;

function textFieldProblem(e: Record<string, unknown>): EntryProblem | undefined {
  const id = e['id'] as string;
  if (!ENTRY_ID.test(id)) {
    return { field: 'id', value: id, why: 'must be 1-128 letters, digits, ".", "_", ":" or "-"' };
  }
  for (const [field, max, multiline] of TEXT_RULES) {
    const value = e[field];
    if (value === undefined) continue;
    const text = value as string;
    const why = textProblem(text, max, multiline);
    if (why !== undefined) return { field, value: text, why };
    if (text !== text.trim()) return { field, value: text, why: 'must not begin or end with white space' };
  }
  return undefined;
}

/**
 * Checks that a value read from storage is a well-formed, normalized {@link WhitelistEntry}.
 * Returns the first problem, or `undefined` when the entry is fine.
 */
export function findEntryProblem(entry: unknown): EntryProblem | undefined {
  if (!isRecord(entry)) return { field: '', value: entry, why: 'must be an object' };
  try {
    return problemOf(entry);
  } catch {
    // A getter or proxy trap threw: the entry is not plain data.
    return { field: '', value: undefined, why: 'cannot be read (reading it threw)' };
  }
}

function problemOf(e: Record<string, unknown>): EntryProblem | undefined {
  for (const key of Object.keys(e)) {
    if (!KNOWN.has(key)) return { field: key, value: e[key], why: 'is not a field of a whitelist entry' };
  }
  for (const field of ENTRY_FIELDS) {
    const value = e[field];
    if (value === undefined && OPTIONAL.has(field)) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      return { field, value, why: 'must be a non-empty string' };
    }
  }
  const text = textFieldProblem(e);
  if (text !== undefined) return text;
  if (!isDirection(e['direction'])) return { field: 'direction', value: e['direction'], why: DIRECTION_RULE };
  const scope = e['scope'];
  if (!isScope(scope)) return { field: 'scope', value: scope, why: SCOPE_RULE };
  if (!isNormalized(scope, e['value'] as string)) {
    return { field: 'value', value: e['value'], why: 'is not a normalized domain or address' };
  }
  for (const field of ['createdAt', 'expiresAt'] as const) {
    if (e[field] !== undefined && !isTime(e[field])) {
      return { field, value: e[field], why: 'must be an ISO 8601 UTC time like 2027-01-31T00:00:00.000Z' };
    }
  }
  return undefined;
}

/**
 * Throws `EWHITELIST` when `entry` is not a well-formed, normalized entry. Built-in stores call it
 * on `add`, so a bad entry handed to a store directly can never make the stored data unreadable.
 */
export function checkStoredEntry(entry: unknown): asserts entry is WhitelistEntry {
  const problem = findEntryProblem(entry);
  if (problem === undefined) return;
  const path = problem.field === '' ? '(entry)' : problem.field;
  const shown = problem.value === undefined ? 'missing' : describeValue(problem.value);
  throw new ForcedTlsError('EWHITELIST', `Invalid whitelist entry: ${path} ${shown} ${problem.why}`, {
    path,
    value: problem.value,
  });
}

/**
 * What a built-in store keeps of `entry`: a frozen copy in canonical order, each field read once,
 * checked with {@link checkStoredEntry}. Throws `EWHITELIST` for anything else.
 *
 * @example
 * ```ts
 * const stored = storedEntry(entry); // frozen, canonical order; EWHITELIST if malformed
 * ```
 */
export function storedEntry(entry: unknown): WhitelistEntry {
  checkStoredEntry(entry);
  let copy: WhitelistEntry;
  try {
    copy = canonicalEntry(entry);
  } catch (error) {
    throw new ForcedTlsError('EWHITELIST', 'Invalid whitelist entry: (entry) cannot be read', {
      path: '(entry)',
      cause: error,
    });
  }
  // Checked again on the copy: a getter may answer differently the second time it is read.
  checkStoredEntry(copy);
  return copy;
}

/** A copy of an entry with its fields in the canonical order and no undefined-valued keys. */
export function canonicalEntry(entry: WhitelistEntry): WhitelistEntry {
  const copy: Record<string, unknown> = {};
  for (const field of ENTRY_FIELDS) {
    if (entry[field] !== undefined) copy[field] = entry[field];
  }
  return Object.freeze(copy) as unknown as WhitelistEntry;
}

/** The identity of an entry apart from its id: adding one with the same key replaces it. */
export function entryKey(entry: Pick<WhitelistEntry, 'direction' | 'scope' | 'value'>): string {
  return `${entry.direction} ${entry.scope} ${entry.value}`;
}

/**
 * Throws `EWHITELIST` unless `id` is a string, as every built-in store's `remove` expects.
 *
 * @example
 * ```ts
 * checkId('0d5c5e43-…'); // ok; checkId(1n) throws EWHITELIST
 * ```
 */
export function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string') {
    throw new ForcedTlsError('EWHITELIST', 'Invalid whitelist id: must be a string', {
      path: 'id',
      value: id,
    });
  }
}
