import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isForcedTlsError, readShape } from '../errors/index.js';
import { optionError } from '../internal/options.js';
import { acquireFileLock, type FileLock, writeFileAtomic } from '../whitelist/index.js';
import { describeCacheEntryProblem, findCacheEntryProblem, frozenCacheEntry } from './cache-entry.js';
import type { MtaStsCacheEntry, MtaStsCacheStore } from './cache-types.js';
import { parseCacheFile, serializeCacheFile } from './file-cache-format.js';
import { cacheStoreError } from './store-error.js';

/** Options for {@link FileMtaStsCacheStore}. */
export interface FileMtaStsCacheStoreOptions {
  /** The JSON file. Created on the first write; its directory must exist. */
  readonly path: string;
  /** How long a write waits for another process's lock before failing with `ESTORE`. @default 10000 */
  readonly lockTimeoutMs?: number;
  /** A lock file older than this is treated as abandoned. @default 30000 */
  readonly staleLockMs?: number;
  /** Permission bits for a newly created file; a rewrite keeps the existing file's. @default 0o600 */
  readonly mode?: number;
}

interface Snapshot {
  /** `ino:size:mtime`, or `missing`. */
  readonly revision: string;
  readonly entries: ReadonlyMap<string, MtaStsCacheEntry>;
  readonly mtimeMs: number;
  readonly mode: number | undefined;
}

const SUBJECT = 'FileMtaStsCacheStore option';
const OPTION_FIELDS = { path: 'any', lockTimeoutMs: 'any', staleLockMs: 'any', mode: 'any' } as const;
const MISSING: Snapshot = { revision: 'missing', entries: new Map(), mtimeMs: 0, mode: undefined };
const revisionOf = (s: Stats) => `${s.ino}:${s.size}:${s.mtimeMs}`;
const code = (error: unknown) => (error as { code?: unknown } | null)?.code;

function integer(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw optionError(name, value, `must be an integer 0-${max}`, SUBJECT);
  }
  return value;
}

/**
 * The embedded persistent policy cache: one JSON file (see docs/mta-sts.md for the format), so that
 * cached policies — above all `enforce` ones — survive restarts. Reads are served from memory while
 * the file is unchanged (one `stat` per read); writes take the same exclusive lock file as the
 * whitelist file store, re-read the file, change one domain and replace the file atomically and
 * durably, so several processes sharing the file never lose each other's entries. A corrupt or
 * foreign file fails every call with `ESTORE` and is never overwritten.
 *
 * @example
 * ```ts
 * const mtaSts = createMtaStsResolver({ store: new FileMtaStsCacheStore('/var/lib/kanzlei/mta-sts.json') });
 * ```
 */
export class FileMtaStsCacheStore implements MtaStsCacheStore {
  /** Absolute path of the file. */
  readonly path: string;
  readonly #lock: { readonly timeoutMs: number; readonly staleMs: number };
  readonly #mode: number;
  #snapshot: Snapshot = MISSING;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: string | FileMtaStsCacheStoreOptions) {
    const o = readShape(typeof options === 'string' ? { path: options } : options, OPTION_FIELDS, {
      optional: false,
      subject: SUBJECT,
    }) as Partial<FileMtaStsCacheStoreOptions>;
    if (typeof o.path !== 'string' || o.path.trim() === '') {
      throw optionError('path', o.path, 'must be the path of the cache file', SUBJECT);
    }
    this.path = resolve(o.path);
    this.#lock = {
      timeoutMs: integer('lockTimeoutMs', o.lockTimeoutMs, 10_000, 3_600_000),
      staleMs: integer('staleLockMs', o.staleLockMs, 30_000, 86_400_000),
    };
    this.#mode = integer('mode', o.mode, 0o600, 0o777);
  }

  /** The entry of exactly `domain`, expired ones too. */
  async get(domain: string): Promise<MtaStsCacheEntry | undefined> {
    return (await this.#read()).entries.get(domain);
  }

  /** Every entry, sorted by domain. */
  async list(): Promise<readonly MtaStsCacheEntry[]> {
    return [...(await this.#read()).entries.values()];
  }

  /** Stores (or replaces) the entry of its domain; resolves once the file on disk has it. */
  async set(entry: MtaStsCacheEntry): Promise<void> {
    const problem = findCacheEntryProblem(entry);
    if (problem !== undefined) {
      throw cacheStoreError(this.path, describeCacheEntryProblem(problem), { path: problem.path });
    }
    const stored = frozenCacheEntry(entry);
    await this.#update((entries) => new Map(entries).set(stored.domain, stored));
  }

  /** Removes the entry of `domain`; resolves `false` (without writing) when there is none. */
  async delete(domain: string): Promise<boolean> {
    let deleted = false;
    await this.#update((entries) => {
      if (!entries.has(domain)) return undefined;
      deleted = true;
      const next = new Map(entries);
      next.delete(domain);
      return next;
    });
    return deleted;
  }

  /** Waits for this instance's pending writes. */
  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  async #read(): Promise<Snapshot> {
    let current: Stats;
    try {
      current = await stat(this.path);
    } catch (error) {
      if (code(error) !== 'ENOENT') throw cacheStoreError(this.path, 'cannot be read', { cause: error });
      this.#snapshot = MISSING;
      return MISSING;
    }
    if (revisionOf(current) === this.#snapshot.revision) return this.#snapshot;
    try {
      const fd = await open(this.path, 'r');
      try {
        // Stats and text from the same open file: the revision matches the content read.
        const stats = await fd.stat();
        const entries = parseCacheFile(await fd.readFile('utf8'), this.path);
        this.#snapshot = {
          revision: revisionOf(stats),
          entries,
          mtimeMs: stats.mtimeMs,
          mode: stats.mode & 0o777,
        };
        return this.#snapshot;
      } finally {
        await fd.close();
      }
    } catch (error) {
      if (isForcedTlsError(error)) throw error;
      if (code(error) !== 'ENOENT') throw cacheStoreError(this.path, 'cannot be read', { cause: error });
      this.#snapshot = MISSING;
      return MISSING;
    }
  }

  // Read-modify-write under the lock; `change` returns the new entries, or undefined for no write.
  #update(
    change: (
      entries: ReadonlyMap<string, MtaStsCacheEntry>,
    ) => ReadonlyMap<string, MtaStsCacheEntry> | undefined,
  ): Promise<void> {
    const run = async () => {
      const lock = await acquireFileLock(this.path, {
        ...this.#lock,
        error: (problem, details) => cacheStoreError(this.path, problem, details),
        user: 'the MTA-STS policy cache',
      });
      try {
        const current = await this.#read();
        const next = change(current.entries);
        if (next !== undefined) await this.#write(current, next, lock);
      } finally {
        await lock.release();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #write(
    current: Snapshot,
    entries: ReadonlyMap<string, MtaStsCacheEntry>,
    lock: FileLock,
  ): Promise<void> {
    const mode = current.mode ?? this.#mode;
    let stats: Stats;
    try {
      stats = await writeFileAtomic(this.path, serializeCacheFile(entries.values()), {
        mode,
        previousMtimeMs: current.mtimeMs,
        beforeRename: async () => {
          if (!(await lock.stillHeld())) throw new Error('the lock was taken over as stale');
        },
      });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw cacheStoreError(this.path, `cannot be written (${why})`, { cause: error });
    }
    const sorted = new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.#snapshot = { revision: revisionOf(stats), entries: sorted, mtimeMs: stats.mtimeMs, mode };
  }
}
