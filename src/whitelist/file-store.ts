import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeValue, ForcedTlsError } from '../errors/index.js';
import { errorMessage } from '../internal/error-code.js';
import { isRecord, readShape } from '../internal/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { checkId, storedEntry } from './entry-shape.js';
import { serializeWhitelistFile } from './file-format.js';
import { acquireFileLock, type FileLock } from './file-lock.js';
import {
  type FileSnapshot,
  MISSING_FILE,
  readWhitelistFile,
  refuseNonFile,
  revisionOf,
} from './file-read.js';
import { errnoCode, storeError } from './store-error.js';
import type { WhitelistEntry, WhitelistStore } from './types.js';

/** Options for {@link FileWhitelistStore}. */
export interface FileWhitelistStoreOptions {
  /** The JSON file. Created on the first write; its directory must exist. */
  readonly path: string;
  /** How long `add`/`remove` wait for another process's lock before failing with `ESTORE`. @default 10_000 */
  readonly lockTimeoutMs?: number;
  /** A lock file older than this is treated as abandoned. @default 30_000 */
  readonly staleLockMs?: number;
  /** Permission bits for a newly created file; a rewrite keeps the existing file's. @default 0o600 */
  readonly mode?: number;
  /**
   * The largest file the store reads or writes, in bytes (at most 536870888, the longest string
   * Node can hold). A larger file is refused with `ESTORE` without being read; an `add` that would
   * grow the file past it is refused without writing. @default 268435456 (256 MiB, about 650,000 entries)
   */
  readonly maxFileBytes?: number;
}

/** Default of {@link FileWhitelistStoreOptions.maxFileBytes}: 256 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
// V8's longest string (2^29 - 24 UTF-16 units): a file this size still decodes into one string.
const MAX_FILE_BYTES_LIMIT = 536_870_888;

function option(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ForcedTlsError(
      'EPOLICY',
      `FileWhitelistStore option ${name} must be an integer ${min}…${max} (got ${describeValue(value)})`,
      { path: name, value },
    );
  }
  return value;
}

const OPTION_FIELDS = {
  path: 'any',
  lockTimeoutMs: 'any',
  staleLockMs: 'any',
  mode: 'any',
  maxFileBytes: 'any',
} as const;

/**
 * The embedded default store: one human-readable JSON file (see docs/whitelist.md for the format).
 * Writes are atomic and durable when they resolve; `add` and `remove` hold an exclusive lock file
 * around read-modify-write, so several processes (the app and the CLI) never lose each other's
 * entries. A corrupt or foreign file fails with `ESTORE` and is never overwritten.
 *
 * @example
 * ```ts
 * const whitelist = createWhitelist(new FileWhitelistStore('/var/lib/kanzlei/whitelist.json'));
 * ```
 */
export class FileWhitelistStore implements WhitelistStore {
  /** Absolute path of the file. */
  readonly path: string;
  readonly #lock: { readonly timeoutMs: number; readonly staleMs: number };
  readonly #mode: number;
  readonly #maxBytes: number;
  #cache: FileSnapshot = MISSING_FILE;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: string | FileWhitelistStoreOptions) {
    const o =
      typeof options === 'string'
        ? { path: options }
        : isRecord(options)
          ? readShape(options, OPTION_FIELDS, { subject: 'FileWhitelistStore option' })
          : {};
    if (typeof o.path !== 'string' || o.path.trim() === '' || o.path.includes('\0')) {
      throw new ForcedTlsError('EPOLICY', 'FileWhitelistStore needs a file path', {
        path: 'path',
        value: o.path,
      });
    }
    this.path = resolve(o.path);
    this.#lock = {
      timeoutMs: option('lockTimeoutMs', o.lockTimeoutMs, 10_000, 0, 3_600_000),
      staleMs: option('staleLockMs', o.staleLockMs, 30_000, 0, 86_400_000),
    };
    this.#mode = option('mode', o.mode, 0o600, 0, 0o777);
    this.#maxBytes = option('maxFileBytes', o.maxFileBytes, DEFAULT_MAX_FILE_BYTES, 1, MAX_FILE_BYTES_LIMIT);
  }

  /** Every entry, expired ones included. Parsed once per file revision. */
  async list(): Promise<readonly WhitelistEntry[]> {
    return (await this.#read()).entries;
  }

  /** Adds or replaces (same id) an entry; resolves when the file on disk has it. */
  async add(entry: WhitelistEntry): Promise<void> {
    const stored = storedEntry(entry);
    await this.#update((entries) => {
      const index = entries.findIndex((e) => e.id === stored.id);
      const next = [...entries];
      next.splice(index < 0 ? next.length : index, 1, stored);
      return next;
    });
  }

  /** Removes by id; resolves `false` (without writing) when there is no such entry. */
  async remove(id: string): Promise<boolean> {
    checkId(id);
    let removed = false;
    await this.#update((entries) => {
      const rest = entries.filter((e) => e.id !== id);
      removed = rest.length !== entries.length;
      return removed ? rest : undefined;
    });
    return removed;
  }

  /** `ino:size:mtime` of the file (or `missing`): changes with every write, by any process. */
  async revision(): Promise<string> {
    let stats: Stats;
    try {
      // lstat: a link or FIFO is refused here as list() refuses it, and never followed or opened.
      stats = await lstat(this.path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return MISSING_FILE.revision;
      throw storeError(this.path, 'cannot be read', { cause: error });
    }
    refuseNonFile(this.path, stats);
    return revisionOf(stats);
  }

  /** Waits for this instance's pending writes. */
  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  async #read(): Promise<FileSnapshot> {
    this.#cache = await readWhitelistFile(this.path, this.#cache, this.#maxBytes);
    return this.#cache;
  }

  // Read-modify-write under the lock. `change` returns the new entries, or undefined for no write.
  #update(change: (entries: readonly WhitelistEntry[]) => WhitelistEntry[] | undefined): Promise<void> {
    const run = async () => {
      const lock = await acquireFileLock(this.path, this.#lock);
      try {
        const current = await this.#read();
        const next = change(current.entries);
        if (next !== undefined) await this.#write(current, Object.freeze(next), lock);
      } finally {
        await lock.release();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #write(current: FileSnapshot, entries: readonly WhitelistEntry[], lock: FileLock): Promise<void> {
    const mode = current.mode ?? this.#mode;
    const text = serializeWhitelistFile(entries);
    const size = Buffer.byteLength(text, 'utf8');
    // A file this store could not read back is never written.
    if (size > this.#maxBytes) {
      throw storeError(
        this.path,
        `would grow to ${size} bytes, more than the store's limit of ${this.#maxBytes} bytes ` +
          '(option maxFileBytes); nothing was written',
        { value: size },
      );
    }
    let stats: Stats;
    try {
      stats = await writeFileAtomic(this.path, text, {
        mode,
        previousMtimeMs: current.mtimeMs,
        beforeRename: async () => {
          if (!(await lock.stillHeld())) throw new Error('the lock was taken over as stale');
        },
      });
    } catch (error) {
      const why = errorMessage(error);
      throw storeError(this.path, `cannot be written (${why})`, { cause: error });
    }
    this.#cache = { revision: revisionOf(stats), entries, mtimeMs: stats.mtimeMs, mode };
  }
}
