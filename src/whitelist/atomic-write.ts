import type { Stats } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoCode } from './store-error.js';

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the written file. */
  readonly mode: number;
  /**
   * The modification time of the file being replaced: the new file gets a later one, so that a
   * stat-based revision (ino, size, mtime) differs even when the inode number is reused, the size
   * is the same and the clock has not ticked.
   */
  readonly previousMtimeMs: number;
  /** Runs after the data is on disk and before the rename; a throw aborts the write. */
  readonly beforeRename?: () => Promise<void>;
}

async function syncDirectory(path: string): Promise<void> {
  const fd = await open(path, 'r');
  try {
    await fd.sync();
  } catch (error) {
    // Windows cannot fsync a directory; there the rename is as durable as the platform makes it.
    if (process.platform !== 'win32') throw error;
  } finally {
    await fd.close();
  }
}

/**
 * Replaces `path` with `data` so that a reader sees either the old or the new file, never a mix,
 * and a crash at any moment leaves one of the two: write `<path>.tmp`, fsync it, rename it over
 * `path`, fsync the directory. The temp name is fixed because only the lock holder writes it; an
 * orphan left by a killed writer is removed first. Resolves with the new file's stats once durable.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  options: AtomicWriteOptions,
): Promise<Stats> {
  const temp = `${path}.tmp`;
  await unlink(temp).catch((error: unknown) => {
    if (errnoCode(error) !== 'ENOENT') throw error;
  });
  const fd = await open(temp, 'wx', options.mode);
  let stats: Stats;
  try {
    await fd.writeFile(data, 'utf8');
    await fd.chmod(options.mode);
    const mtime = Math.max(Date.now(), Math.floor(options.previousMtimeMs) + 1) / 1000;
    await fd.utimes(mtime, mtime);
    await fd.sync();
    stats = await fd.stat();
  } catch (error) {
    await fd.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fd.close();
  try {
    await options.beforeRename?.();
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
  return stats;
}
