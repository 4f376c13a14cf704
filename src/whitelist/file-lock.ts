import { randomUUID } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { errnoCode, storeError } from './store-error.js';

/** Timing of {@link acquireFileLock}. */
export interface FileLockOptions {
  /** Give up with `ESTORE` after waiting this long. */
  readonly timeoutMs: number;
  /** A lock file older than this is treated as abandoned, whoever holds it. */
  readonly staleMs: number;
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

/**
 * Removes a stale lock without ever removing a fresh one: the lock is first renamed aside, and put
 * back if what was moved is not the lock judged stale (another process broke it and locked anew
 * in between).
 */
async function breakLock(path: string, stale: LockView): Promise<void> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readLock(aside);
  if (moved !== undefined && (moved.ino !== stale.ino || moved.text !== stale.text)) {
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

/**
 * Takes the exclusive lock `<file>.lock` (created with `open(…, 'wx')`, holding pid, host and a
 * random token). Waits with growing pauses for a held lock, breaks a stale one (holder's pid dead
 * on this host, or older than `staleMs`), and throws `ESTORE` after `timeoutMs`.
 */
export async function acquireFileLock(file: string, options: FileLockOptions): Promise<FileLock> {
  const path = `${file}.lock`;
  const text = JSON.stringify({ pid: process.pid, host: hostname(), token: randomUUID() });
  const deadline = Date.now() + options.timeoutMs;
  const held = async () => (await readLock(path).catch(() => undefined))?.text === text;
  for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
    try {
      const fd = await open(path, 'wx', 0o644);
      try {
        await fd.writeFile(text);
      } catch (error) {
        await fd.close().catch(() => undefined);
        await unlink(path).catch(() => undefined);
        throw error;
      }
      await fd.close();
      return {
        stillHeld: held,
        release: async () => {
          if (await held()) await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') {
        throw storeError(file, `cannot create the lock file ${path}`, { cause: error });
      }
    }
    const current = await readLock(path).catch((error: unknown) => {
      throw storeError(file, `cannot read the lock file ${path}`, { cause: error });
    });
    if (current === undefined) continue;
    if (isStale(current, options.staleMs)) {
      await breakLock(path, current).catch((error: unknown) => {
        throw storeError(file, `cannot remove the stale lock file ${path}`, { cause: error });
      });
      continue;
    }
    if (Date.now() >= deadline) {
      const holder = current.text.trim() === '' ? 'an unknown process' : current.text;
      throw storeError(
        file,
        `timed out after ${options.timeoutMs} ms waiting for the lock ${path} (held by ${holder}); ` +
          'if no process is using the whitelist, delete the lock file',
      );
    }
    await delay(pause + Math.random() * pause);
  }
}
