import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { isForcedTlsError } from '../errors/index.js';
import { parseWhitelistFile, UNUSABLE } from './file-format.js';
import { errnoCode, storeError } from './store-error.js';
import type { WhitelistEntry } from './types.js';
import { decodeUtf8 } from './utf8.js';

/** The parsed content of the whitelist file at one revision. */
export interface FileSnapshot {
  /** `ino:size:mtime`, or `missing`. */
  readonly revision: string;
  readonly entries: readonly WhitelistEntry[];
  readonly mtimeMs: number;
  /** Permission bits of the file; undefined when it does not exist. */
  readonly mode: number | undefined;
}

/** The snapshot of a file that does not exist: an empty whitelist. */
export const MISSING_FILE: FileSnapshot = Object.freeze({
  revision: 'missing',
  entries: Object.freeze([]),
  mtimeMs: 0,
  mode: undefined,
});

/** The revision token of a file: cheap, and different for every version written by the store. */
export function revisionOf(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

// O_NOFOLLOW: a symbolic link at the path is refused, not followed (see docs/whitelist.md).
// O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; fstat then refuses it.
// Platforms without them (Windows) get 0, and the lstat in `refuseNonFile` does the check.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The `ESTORE` error for a path that exists but is not a regular file.
 *
 * @example
 * ```ts
 * notAFile('/var/lib/w.json', 'a FIFO (named pipe)'); // ESTORE
 * ```
 */
export function notAFile(path: string, what: string): Error {
  const link =
    what === 'a symbolic link'
      ? '; the store does not follow links, give it the path of the file itself'
      : '';
  return storeError(path, `is ${what}, not a regular file${link}; ${UNUSABLE}`);
}

/**
 * Throws `ESTORE` when `stats` (from `lstat` or `fstat`) is not a regular file.
 *
 * @example
 * ```ts
 * refuseNonFile(path, await lstat(path)); // throws for a link, FIFO, directory or device
 * ```
 */
export function refuseNonFile(path: string, stats: Stats): void {
  if (!stats.isFile()) throw notAFile(path, kindOf(stats));
}

/**
 * Reads and parses the whitelist file, unless its revision equals `cached`'s, in which case the
 * cached entries are reused. A missing file is {@link MISSING_FILE}. `ESTORE` for everything else
 * that is wrong: a symbolic link (also a dangling one), a FIFO, directory or device (refused
 * without blocking), a file over `maxBytes` (not read), bytes that are not UTF-8, or content
 * {@link parseWhitelistFile} refuses.
 *
 * @example
 * ```ts
 * const snapshot = await readWhitelistFile(path, MISSING_FILE, DEFAULT_MAX_FILE_BYTES);
 * ```
 */
export async function readWhitelistFile(
  path: string,
  cached: FileSnapshot,
  maxBytes: number,
): Promise<FileSnapshot> {
  if (constants.O_NOFOLLOW === undefined) {
    const stats = await lstat(path).catch(() => undefined);
    if (stats !== undefined) refuseNonFile(path, stats);
  }
  let fd: Awaited<ReturnType<typeof open>>;
  try {
    fd = await open(path, OPEN_FLAGS);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return MISSING_FILE;
    if (code === 'ELOOP') throw notAFile(path, 'a symbolic link');
    throw storeError(path, 'cannot be opened', { cause: error });
  }
  try {
    // The stats and the text come from the same open file, so the revision matches the content
    // even if another process renames a new version into place meanwhile.
    const stats = await fd.stat();
    refuseNonFile(path, stats);
    const revision = revisionOf(stats);
    // chmod does not change the revision; the mode is taken fresh so a rewrite keeps it.
    const mode = stats.mode & 0o777;
    if (cached.revision === revision) return cached.mode === mode ? cached : { ...cached, mode };
    if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes);
    const bytes = await fd.readFile();
    // The file may have grown (edited in place) since the stat.
    if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
    const entries = parseWhitelistFile(decodeUtf8(bytes, path), path);
    return { revision, entries, mtimeMs: stats.mtimeMs, mode };
  } catch (error) {
    if (isForcedTlsError(error)) throw error;
    throw storeError(path, 'cannot be read', { cause: error });
  } finally {
    await fd.close();
  }
}

/**
 * The `ESTORE` error for a file over the size limit: it says the size and the limit.
 *
 * @example
 * ```ts
 * tooLarge(path, 629 * 2 ** 20, 2 ** 28); // ESTORE: is 659554304 bytes, more than the store's limit …
 * ```
 */
export function tooLarge(path: string, size: number, maxBytes: number): Error {
  return storeError(
    path,
    `is ${size} bytes, more than the store's limit of ${maxBytes} bytes (option maxFileBytes); ` +
      `it was not read; ${UNUSABLE}`,
    { value: size },
  );
}
