import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fixtures/whitelist/lock-loop.ts', import.meta.url));

/** A child process running `test/fixtures/whitelist/lock-loop.ts`. */
export interface LockChild {
  readonly child: ChildProcess;
  /** Resolves at the child's first line ("locked" or "looping"). */
  readonly started: Promise<string>;
  /** SIGKILL to its own PID; resolves once it has exited. */
  kill(): Promise<void>;
}

/** Starts a child that holds (`hold`) or keeps taking and releasing (`loop`) the lock of `file`. */
export function startLockChild(file: string, mode: 'hold' | 'loop'): LockChild {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, file, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').once('data', (chunk: string) => resolve(chunk.trim()));
    child.once('exit', (code) => reject(new Error(`lock child exited (${code}): ${stderr}`)));
  });
  return {
    child,
    started,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
      await exited;
    },
  };
}
