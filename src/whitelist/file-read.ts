import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { isForcedTlsError } from '../errors/forced-tls-error.js';
import { parseWhitelistFile } from './file-format.js';
import { errnoCode, storeError } from './store-error.js';
import type { WhitelistEntry } from './types.js';

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

/**
 * Reads and parses the whitelist file, unless its revision equals `cached`'s, in which case the
 * cached entries are reused. A missing file is {@link MISSING_FILE}; anything else that goes wrong
 * is `ESTORE`.
 */
export async function readWhitelistFile(path: string, cached: FileSnapshot): Promise<FileSnapshot> {
  let fd: Awaited<ReturnType<typeof open>>;
  try {
    fd = await open(path, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return MISSING_FILE;
    throw storeError(path, 'cannot be opened', { cause: error });
  }
  try {
    // The stats and the text come from the same open file, so the revision matches the content
    // even if another process renames a new version into place meanwhile.
    const stats = await fd.stat();
    const revision = revisionOf(stats);
    // chmod does not change the revision; the mode is taken fresh so a rewrite keeps it.
    const mode = stats.mode & 0o777;
    if (cached.revision === revision) return cached.mode === mode ? cached : { ...cached, mode };
    const entries = parseWhitelistFile(await fd.readFile('utf8'), path);
    return { revision, entries, mtimeMs: stats.mtimeMs, mode };
  } catch (error) {
    if (isForcedTlsError(error)) throw error;
    throw storeError(path, 'cannot be read', { cause: error });
  } finally {
    await fd.close();
  }
}
