import { readArgument } from '../errors/index.js';
import { normalizeDomain } from '../policy/index.js';
import type { MtaStsCacheEntry } from './cache-types.js';
import { isMxPattern } from './policy-parse.js';
import { MAX_MTA_STS_MAX_AGE, MTA_STS_MODES, type MtaStsPolicy } from './types.js';

/** What is wrong with a cache entry: the field path (`policy.mx[1]`) and why. */
export interface CacheEntryProblem {
  /** The field at fault (`domain`, `policy.mx[1]`); `''` for the entry as a whole. */
  readonly path: string;
  /** Why, in English: `must be a lowercase mx pattern`. */
  readonly why: string;
}

const ENTRY_KEYS = ['domain', 'id', 'policy', 'fetchedAt', 'checkedAt', 'expiresAt'] as const;
const POLICY_KEYS = ['version', 'mode', 'maxAge', 'mx', 'lines'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}

function isDomain(value: unknown): boolean {
  try {
    return typeof value === 'string' && normalizeDomain(value) === value;
  } catch {
    return false;
  }
}

function unknownKey(value: Record<string, unknown>, known: readonly string[]): string | undefined {
  return Object.keys(value).find((key) => !known.includes(key));
}

function policyProblem(policy: unknown): CacheEntryProblem | undefined {
  if (!isObject(policy)) return { path: 'policy', why: 'must be an object' };
  const extra = unknownKey(policy, POLICY_KEYS);
  if (extra !== undefined) return { path: `policy.${extra}`, why: 'is not a policy field' };
  if (policy['version'] !== 'STSv1') return { path: 'policy.version', why: 'must be STSv1' };
  if (!MTA_STS_MODES.includes(policy['mode'] as never))
    return { path: 'policy.mode', why: 'must be enforce, testing or none' };
  const maxAge = policy['maxAge'];
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0 || maxAge > MAX_MTA_STS_MAX_AGE) {
    return { path: 'policy.maxAge', why: `must be an integer 0-${MAX_MTA_STS_MAX_AGE}` };
  }
  for (const key of ['mx', 'lines'] as const) {
    const list = policy[key];
    if (!Array.isArray(list)) return { path: `policy.${key}`, why: 'must be an array' };
    const bad = list.findIndex((item) => typeof item !== 'string' || (key === 'mx' && !isMxPattern(item)));
    if (bad >= 0)
      return {
        path: `policy.${key}[${bad}]`,
        why: key === 'mx' ? 'must be a lowercase mx pattern' : 'must be a string',
      };
  }
  if ((policy['mx'] as unknown[]).length === 0 && policy['mode'] !== 'none') {
    return { path: 'policy.mx', why: 'must not be empty unless the mode is none' };
  }
  return undefined;
}

/**
 * The first problem of a cache entry, or `undefined` when it is well-formed: what the built-in
 * stores check before storing an entry and after reading one, for a store of your own to do the
 * same. An entry whose fields cannot be read (a getter or proxy trap that throws) is a problem too.
 *
 * @example
 * ```ts
 * const problem = findCacheEntryProblem(row);
 * if (problem !== undefined) throw new Error(describeCacheEntryProblem(problem)); // entry field policy.mode must be …
 * ```
 */
export function findCacheEntryProblem(entry: unknown): CacheEntryProblem | undefined {
  try {
    return entryProblem(entry);
  } catch {
    return { path: '', why: 'cannot be read (reading it threw)' };
  }
}

function entryProblem(entry: unknown): CacheEntryProblem | undefined {
  if (!isObject(entry)) return { path: '', why: 'must be an object' };
  const extra = unknownKey(entry, ENTRY_KEYS);
  if (extra !== undefined) return { path: extra, why: 'is not a cache entry field' };
  if (!isDomain(entry['domain']))
    return { path: 'domain', why: 'must be a normalized domain (lowercase A-label)' };
  if (typeof entry['id'] !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(entry['id'])) {
    return { path: 'id', why: 'must be 1-32 letters or digits' };
  }
  for (const key of ['fetchedAt', 'checkedAt', 'expiresAt'] as const) {
    if (!isInstant(entry[key]))
      return { path: key, why: 'must be an ISO 8601 UTC instant (Date#toISOString)' };
  }
  return policyProblem(entry['policy']);
}

/**
 * The problem as words: `entry field policy.mode must be …` (or `entry must be an object`).
 *
 * @example
 * ```ts
 * describeCacheEntryProblem({ path: 'policy.mode', why: 'must be enforce, testing or none' });
 * // 'entry field policy.mode must be enforce, testing or none'
 * ```
 */
export function describeCacheEntryProblem(problem: CacheEntryProblem): string {
  const { path, why } = readArgument('problem', problem, {
    path: 'string',
    why: 'string',
  }) as CacheEntryProblem;
  return `${path === '' ? 'entry' : `entry field ${path}`} ${why}`;
}

// Entries this module copied and froze after they were checked: deeply immutable, so they stay
// well-formed and need no second check when a store hands them back.
const checked = new WeakSet<object>();

/** True for an entry made by {@link frozenCacheEntry} (checked once, immutable since). */
export function isCheckedCacheEntry(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && checked.has(entry);
}

/** A deep, frozen copy of a well-formed entry with exactly its known fields (call after the check). */
export function frozenCacheEntry(entry: MtaStsCacheEntry): MtaStsCacheEntry {
  const { policy } = entry;
  const copy: MtaStsPolicy = Object.freeze({
    version: policy.version,
    mode: policy.mode,
    maxAge: policy.maxAge,
    mx: Object.freeze([...policy.mx]),
    lines: Object.freeze([...policy.lines]),
  });
  const frozen = Object.freeze({
    domain: entry.domain,
    id: entry.id,
    policy: copy,
    fetchedAt: entry.fetchedAt,
    checkedAt: entry.checkedAt,
    expiresAt: entry.expiresAt,
  });
  checked.add(frozen);
  return frozen;
}
