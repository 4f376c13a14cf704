import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  type ForegroundProcess,
  freePort,
  type ServerGate,
  startForeground,
  systemServerGate,
  tempDir,
  waitUntil,
} from './system-servers.js';

const BIN = '/usr/lib/postgresql/15/bin';

/** Debian's PostgreSQL 15 binaries; skips locally when absent, fails under CI. */
export const postgresGate: ServerGate = systemServerGate('PostgreSQL', {
  initdb: [`${BIN}/initdb`],
  postgres: [`${BIN}/postgres`],
});

/** A throw-away PostgreSQL server on 127.0.0.1, its data directory in a temp dir. */
export interface TestPostgres {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, no password). */
  readonly url: string;
  /** PID of the postmaster (the process this harness started). */
  pid(): number;
  /** Everything the current server process printed. */
  output(): string;
  /** Sends `signal` to the postmaster's PID and waits until it and its backends have gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and data directory (after `kill` or `stop`). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT to the postmaster), waiting for it to exit. */
  stop(): Promise<void>;
  /** Runs one SQL statement on a fresh connection. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

/** uid and gid of the `postgres` user when running as root (the server refuses root). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** True while `pid` runs; a zombie (exited, not yet reaped by its parent) counts as gone. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** PIDs of the processes whose parent is `pid` (the postmaster's backends). */
function children(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout ?? '';
  return out
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
}

/** True when the server at `url` answers and is ours (not another test file's on a reused port). */
async function canConnect(url: string, data: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    return rows[0]?.dir === data;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates a cluster with `initdb -A trust` in a temp dir owned by the server user and starts
 * `postgres` in the foreground on a free loopback port (socket directory in the temp dir too).
 * Stop it with `destroy()`; the harness only ever signals the PID it started.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await tempDir('pg');
  const user = serverUser();
  const data = join(dir.path, 'data');
  const socket = join(dir.path, 'socket');
  mkdirSync(socket);
  if (user !== undefined) {
    chownSync(dir.path, user.uid, user.gid);
    chownSync(socket, user.uid, user.gid);
  }
  const owner = user === undefined ? {} : user;
  execFileSync(
    `${BIN}/initdb`,
    ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-instructions', '-E', 'UTF8', '--locale=C'],
    { stdio: 'pipe', ...owner },
  );
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: ForegroundProcess | undefined;
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    socket,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=32MB',
  ];
  const start = async () => {
    // After a SIGKILL the old backends may still be exiting; a start that finds their shared
    // memory refuses, so it is retried until the old generation is gone.
    await waitUntil(
      async () => {
        const candidate = startForeground(`${BIN}/postgres`, args, owner);
        const ready = await waitUntil(
          () => canConnect(url, data),
          10_000,
          () => candidate.output(),
        ).then(
          () => true,
          () => false,
        );
        if (ready) {
          server = candidate;
          return true;
        }
        await candidate.stop(1000);
        return false;
      },
      20_000,
      () => `PostgreSQL did not start on port ${port}`,
    );
  };
  await start();
  const current = () => {
    if (server === undefined) throw new Error('PostgreSQL is not running');
    return server;
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = current();
    const backends = children(proc.pid);
    process.kill(proc.pid, signal);
    await waitUntil(
      () => !alive(proc.pid) && backends.every((pid) => !alive(pid)),
      15_000,
      () => 'PostgreSQL did not exit',
    );
    server = undefined;
  };
  const sql = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    pid: () => current().pid,
    output: () => server?.output() ?? '',
    kill,
    start,
    stop: () => kill('SIGINT'),
    sql,
    destroy: async () => {
      if (server !== undefined) await kill('SIGINT').catch(() => kill('SIGKILL'));
      await dir.remove();
    },
  };
}

let serial = 0;

/** A schema name unique within this test process, for one store under test. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${process.pid}_${++serial}`;
}
