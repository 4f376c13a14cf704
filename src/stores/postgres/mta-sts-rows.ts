import {
  describeCacheEntryProblem,
  findCacheEntryProblem,
  type MtaStsCacheEntry,
  type MtaStsPolicy,
} from '../../mta-sts/index.js';
import type { MtaStsTableNames } from './mta-sts-names.js';
import { storeFailure } from './store-failure.js';

/** A policy row as selected with `POLICY_COLUMNS`: every column as text. */
export interface PolicyRow {
  readonly domain: string;
  readonly policy_id: string;
  readonly mode: string;
  readonly max_age: string;
  readonly mx: string;
  readonly lines: string;
  readonly fetched_at: string;
  readonly checked_at: string;
  readonly expires_at: string;
}

// PostgreSQL text holds neither NUL nor a lone surrogate (pg would store U+FFFD instead): refused,
// so that what get() returns is always exactly what set() was given.
const UNSTORABLE = /[\u0000\p{Cs}]/u;
// timestamptz as written here: the years 1 to 9999 (toISOString writes others as ±YYYYYY).
const STORABLE_YEAR = /^(?!0000)[0-9]{4}-/;

function frozen(entry: MtaStsCacheEntry): MtaStsCacheEntry {
  const { policy } = entry;
  const copy: MtaStsPolicy = Object.freeze({
    version: policy.version,
    mode: policy.mode,
    maxAge: policy.maxAge,
    mx: Object.freeze([...policy.mx]),
    lines: Object.freeze([...policy.lines]),
  });
  return Object.freeze({
    domain: entry.domain,
    id: entry.id,
    policy: copy,
    fetchedAt: entry.fetchedAt,
    checkedAt: entry.checkedAt,
    expiresAt: entry.expiresAt,
  });
}

/**
 * The entry `set()` stores: copied once (so no getter answers twice), checked like the built-in
 * stores check it, and refused with `ESTORE` naming the field when malformed or not storable.
 */
export function storableEntry(n: MtaStsTableNames, entry: unknown): MtaStsCacheEntry {
  let copy: unknown;
  try {
    copy = structuredClone(entry);
  } catch (error) {
    throw storeFailure(n, 'the entry cannot be copied (a function, symbol, proxy or getter that throws)', {
      cause: error,
      path: '',
    });
  }
  const problem = findCacheEntryProblem(copy);
  if (problem !== undefined) {
    throw storeFailure(n, describeCacheEntryProblem(problem), { path: problem.path });
  }
  const checked = copy as MtaStsCacheEntry;
  for (const key of ['fetchedAt', 'checkedAt', 'expiresAt'] as const) {
    if (!STORABLE_YEAR.test(checked[key])) {
      throw storeFailure(n, `entry field ${key} must lie in the years 0001 to 9999`, { path: key });
    }
  }
  for (const key of ['mx', 'lines'] as const) {
    const bad = checked.policy[key].findIndex((item) => UNSTORABLE.test(item));
    if (bad >= 0) {
      throw storeFailure(n, `entry field policy.${key}[${bad}] holds NUL or a lone surrogate`, {
        path: `policy.${key}[${bad}]`,
      });
    }
  }
  return frozen(checked);
}

/** The parameters of the upsert, in the order of its columns. */
export function policyParams(entry: MtaStsCacheEntry): unknown[] {
  const { policy } = entry;
  return [
    entry.domain,
    entry.id,
    policy.mode,
    policy.maxAge,
    [...policy.mx],
    [...policy.lines],
    entry.fetchedAt,
    entry.checkedAt,
    entry.expiresAt,
  ];
}

/**
 * A row as a frozen {@link MtaStsCacheEntry}, checked in full: a row that is not a well-formed
 * entry (written by hand, say) fails with `ESTORE` naming its domain and field rather than being
 * guessed at.
 */
export function entryFromRow(n: MtaStsTableNames, row: PolicyRow): MtaStsCacheEntry {
  const which = `row ${JSON.stringify(String(row.domain).slice(0, 100))}`;
  let mx: unknown;
  let lines: unknown;
  try {
    mx = JSON.parse(row.mx);
    lines = JSON.parse(row.lines);
  } catch (error) {
    throw storeFailure(n, `${which}: mx or lines cannot be read`, { cause: error });
  }
  const entry = {
    domain: row.domain,
    id: row.policy_id,
    policy: { version: 'STSv1', mode: row.mode, maxAge: Number(row.max_age), mx, lines },
    fetchedAt: row.fetched_at,
    checkedAt: row.checked_at,
    expiresAt: row.expires_at,
  };
  const problem = findCacheEntryProblem(entry);
  if (problem !== undefined) {
    throw storeFailure(n, `${which}: ${describeCacheEntryProblem(problem)}`, { path: problem.path });
  }
  return frozen(entry as MtaStsCacheEntry);
}
