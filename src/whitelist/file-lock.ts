import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { errnoCode, storeError } from './store-error.js';

/** Timing of {@link acquireFileLock}. */
export interface FileLockOptions {
  /** Give up with `ESTORE` after waiting this long. */
  readonly timeoutMs: number;
  /** A lock file older than this is treated as abandoned, whoever holds it. */
  readonly staleMs: number;
  /**
   * Builds the error for a lock problem, so a file other than the whitelist names itself.
   * @default an `ESTORE` error about the whitelist file
   */
  readonly error?: (problem: string, details: { readonly cause?: unknown }) => Error;
  /** Who uses the file, for the timeout message's hint. @default 'the whitelist' */
  readonly user?: string;
}

/** A held lock. */
export interface FileLock {
  /** True while the lock file is still ours (nobody judged it stale and broke it). */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

interface LockView {
  readonly text: string;
  readonly ino: number;
  readonly mtimeMs: number;
}

// A lock file is never followed as a link and never waited on as a FIFO.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
// A lock file holds ~100 bytes; anything much larger is not one of ours and is not read whole.
const MAX_LOCK_BYTES = 4096;

async function readLock(path: string): Promise<LockView | undefined> {
  try {
    const fd = await open(path, READ_FLAGS);
    try {
      const stat = await fd.stat();
      if (!stat.isFile()) throw new Error(`${path} is not a regular file`);
      const buffer = Buffer.alloc(MAX_LOCK_BYTES);
      const { bytesRead } = await fd.read(buffer, 0, MAX_LOCK_BYTES, 0);
      return { text: buffer.toString('utf8', 0, bytesRead), ino: stat.ino, mtimeMs: stat.mtimeMs };
    } finally {
      await fd.close();
    }
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/**
 * How long a lock file without a readable owner (empty or partly written) is given before it counts
 * as abandoned. This release never leaves one (the owner is linked into place complete, see
 * {@link createExclusive}); older releases, or file systems without hard links, create the file
 * first and write the owner a few microseconds later, and a holder killed in between left it empty.
 */
export const UNREADABLE_LOCK_GRACE_MS = 1000;

function isStale(lock: LockView, staleMs: number): boolean {
  const age = Date.now() - lock.mtimeMs;
  if (age > staleMs) return true;
  let holder: { pid?: unknown; host?: unknown } | undefined;
  try {
    holder = JSON.parse(lock.text) as { pid?: unknown; host?: unknown };
  } catch {
    holder = undefined;
  }
  if (holder === null || typeof holder !== 'object') return age > UNREADABLE_LOCK_GRACE_MS;
  const pid = holder.pid;
  return (
    holder.host === hostname() && Number.isInteger(pid) && (pid as number) > 0 && !isAlive(pid as number)
  );
}

// File systems that cannot hard-link (some FUSE and FAT mounts) fall back to create-then-write.
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Creates `path` with `text` by `open(…, 'wx')` and a write: the file is empty for a moment. */
async function createThenWrite(path: string, text: string): Promise<boolean> {
  let fd: Awaited<ReturnType<typeof open>>;
  try {
    fd = await open(path, 'wx', 0o644);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await fd.writeFile(text);
  } catch (error) {
    await fd.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await fd.close();
  return true;
}

/**
 * Creates `path` holding `text` if it does not exist; false if it does. The text is written to a
 * private temp file first and hard-linked to `path` (`link` fails if `path` exists, atomically), so
 * the lock file exists only with its owner in it: a holder killed at any moment leaves a lock that
 * names it, and a dead owner is detected at once. A killed process can leave its temp file
 * (`<lock>.<pid>-<random>.tmp`), which is never read.
 */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const temp = `${path}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(temp, text, { flag: 'wx', mode: 0o644 });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') return false;
    if (code !== undefined && NO_LINKS.has(code)) return createThenWrite(path, text);
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Removes the stale lock `stale`, never a fresh one. POSIX has no "delete if unchanged", so
 * breakers take turns through a second lock, `<lock>.break`: a lock file disappears only through
 * its holder (who is dead or overdue) or a breaker, so while holding the guard, a lock that is
 * still the stale one can be unlinked without the risk that another process locked anew in
 * between. Returns false, without breaking, while another process holds the guard.
 */
async function breakLock(path: string, stale: LockView, staleMs: number, me: string): Promise<boolean> {
  const guard = `${path}.break`;
  if (!(await createExclusive(guard, me))) {
    // Breaking takes microseconds; a guard that stays was left by a breaker that died.
    const left = await readLock(guard);
    if (left !== undefined && isStale(left, staleMs)) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    const current = await readLock(path);
    if (current !== undefined && current.ino === stale.ino && current.text === stale.text) {
      await unlink(path).catch((error: unknown) => {
        if (errnoCode(error) !== 'ENOENT') throw error;
      });
    }
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/**
 * Takes the exclusive lock `<file>.lock` (linked into place holding pid, host and a random token,
 * see {@link createExclusive}). Waits with growing pauses for a held lock, breaks a stale one
 * (holder's pid dead on this host, no readable owner after {@link UNREADABLE_LOCK_GRACE_MS}, or
 * older than `staleMs`), and throws `ESTORE` after `timeoutMs`.
 */
export async function acquireFileLock(file: string, options: FileLockOptions): Promise<FileLock> {
  const path = `${file}.lock`;
  const fail = options.error ?? ((problem, details) => storeError(file, problem, details));
  const text = JSON.stringify({ pid: process.pid, host: hostname(), token: randomUUID() });
  const deadline = Date.now() + options.timeoutMs;
  const held = async () => (await readLock(path).catch(() => undefined))?.text === text;
  for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
    let created: boolean;
    try {
      created = await createExclusive(path, text);
    } catch (error) {
      throw fail(`cannot create the lock file ${path}`, { cause: error });
    }
    if (created) {
      return {
        stillHeld: held,
        release: async () => {
          if (await held()) await unlink(path).catch(() => undefined);
        },
      };
    }
    const current = await readLock(path).catch((error: unknown) => {
      const why = error instanceof Error ? ` (${error.message})` : '';
      throw fail(`cannot read the lock file ${path}${why}`, { cause: error });
    });
    if (current === undefined) continue;
    if (isStale(current, options.staleMs)) {
      const broken = await breakLock(path, current, options.staleMs, text).catch((error: unknown) => {
        throw fail(`cannot remove the stale lock file ${path}`, { cause: error });
      });
      if (broken) continue;
    }
    if (Date.now() >= deadline) {
      const holder = current.text.trim() === '' ? 'an unknown process' : current.text;
      throw fail(
        `timed out after ${options.timeoutMs} ms waiting for the lock ${path} (held by ${holder}); ` +
          `if no process is using ${options.user ?? 'the whitelist'}, delete the lock file`,
        {},
      );
    }
    await delay(pause + Math.random() * pause);
  }
}
