import { randomUUID } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
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

async function readLock(path: string): Promise<LockView | undefined> {
  try {
    const fd = await open(path, 'r');
    try {
      const stat = await fd.stat();
      return { text: await fd.readFile('utf8'), ino: stat.ino, mtimeMs: stat.mtimeMs };
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

function isStale(lock: LockView, staleMs: number): boolean {
  if (Date.now() - lock.mtimeMs > staleMs) return true;
  try {
    const holder = JSON.parse(lock.text) as { pid?: unknown; host?: unknown };
    const pid = holder.pid;
    return (
      holder.host === hostname() && Number.isInteger(pid) && (pid as number) > 0 && !isAlive(pid as number)
    );
  } catch {
    // Empty or partly written: its writer was killed between creating and filling it, or is
    // filling it right now. Only age can tell these apart.
    return false;
  }
}

/** Creates `path` with `text` if it does not exist; false if it does. */
async function createExclusive(path: string, text: string): Promise<boolean> {
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
 * Takes the exclusive lock `<file>.lock` (created with `open(…, 'wx')`, holding pid, host and a
 * random token). Waits with growing pauses for a held lock, breaks a stale one (holder's pid dead
 * on this host, or older than `staleMs`), and throws `ESTORE` after `timeoutMs`.
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
      throw fail(`cannot read the lock file ${path}`, { cause: error });
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
