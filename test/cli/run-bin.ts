import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './helpers.js';

/** The built executable, present after `npm run build`. */
export const BUILT_BIN = resolve(ROOT, 'dist/cli/bin.cjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `dist/cli/bin.cjs` exists and is newer than every source file (a stale build is not tested). */
export const HAS_BUILT_BIN =
  existsSync(BUILT_BIN) && statSync(BUILT_BIN).mtimeMs >= newestSource(resolve(ROOT, 'src'));

/** Output of a child process. */
export interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <args>` in the repository root with a deadline; never inherits a TTY. */
export function runNode(
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
) {
  return new Promise<ChildResult>((done, fail) => {
    const child = spawn(process.execPath, [...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(
        new Error(
          `node ${args.join(' ')} did not exit within ${options.timeoutMs ?? 15_000} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 15_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Runs the CLI from source through tsx, as `forced-tls <args>`. */
export function runBin(args: readonly string[]): Promise<ChildResult> {
  return runNode(['--import', 'tsx', 'src/cli/bin.ts', ...args]);
}
