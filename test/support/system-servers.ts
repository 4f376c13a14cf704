import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Set by `.ci/run`: integration tests that need a system server (PostgreSQL, Postfix, nsd, unbound)
 * must run there. Locally they skip with a printed reason when the server is not installed; under CI
 * a missing server fails the test file instead, so a green CI means they ran.
 */
export const IN_CI = process.env['FORCED_TLS_CI'] === '1';

/** Whether the system servers a test file needs are installed, and the paths of their binaries. */
export interface ServerGate {
  readonly available: boolean;
  /** Why the tests skip (printed), when not available. */
  readonly reason?: string;
  /** The first existing path of each requested binary, by the name given. */
  readonly paths: Readonly<Record<string, string>>;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Looks for the binaries a test file needs (each with its candidate paths). Use as
 * `describe.skipIf(!gate.available)(…)`. Under CI a missing binary throws here, failing the file.
 *
 * @example
 * ```ts
 * const gate = systemServerGate('PostgreSQL', { initdb: ['/usr/lib/postgresql/15/bin/initdb'] });
 * describe.skipIf(!gate.available)('postgres store', () => { … });
 * ```
 */
export function systemServerGate(
  label: string,
  binaries: Readonly<Record<string, readonly string[]>>,
): ServerGate {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, candidates] of Object.entries(binaries)) {
    const found = candidates.find(executable);
    if (found === undefined) missing.push(`${name} (${candidates.join(', ')})`);
    else paths[name] = found;
  }
  if (missing.length === 0) return { available: true, paths };
  const reason = `${label} tests skipped: not installed: ${missing.join('; ')}`;
  if (IN_CI) throw new Error(`${reason} — under CI (FORCED_TLS_CI=1) these tests must run`);
  console.warn(reason);
  return { available: false, reason, paths };
}

/** A free TCP port on 127.0.0.1 (bound, read, released), for servers that need a fixed port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A private temporary directory, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `forced-tls-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A foreground server process started by a test, stopped by its own PID. */
export interface ForegroundProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM to its PID, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` in the foreground (never daemonized), collecting its output. */
export function startForeground(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): ForegroundProcess {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  return {
    pid,
    child,
    output: () => text,
    stop: async (graceMs = 3000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `ready` every 50 ms until it resolves true, or rejects after `timeoutMs` with `describe()`. */
export async function waitUntil(
  ready: () => Promise<boolean> | boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (Date.now() > end) throw new Error(`not ready after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
