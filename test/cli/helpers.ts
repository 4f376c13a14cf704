import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

/** The repository root, for `examples/*.json`. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** Fixture files of the CLI tests. */
export const FIXTURES = resolve(ROOT, 'test/fixtures/cli');

/** A CLI io whose output is collected in strings. */
export interface BufferIo {
  readonly io: CliIo;
  stdout(): string;
  stderr(): string;
}

export function bufferIo(
  options: {
    cwd?: string;
    tty?: boolean;
    env?: Record<string, string>;
    /** Sees each stdout write as it happens (for streaming output). */
    onStdout?: (chunk: string) => void;
  } = {},
): BufferIo {
  let out = '';
  let err = '';
  const tty = options.tty ?? false;
  return {
    io: {
      stdout: {
        write: (s: string) => {
          options.onStdout?.(s);
          out += s;
        },
        isTTY: tty,
      },
      stderr: { write: (s: string) => (err += s), isTTY: tty },
      env: options.env ?? {},
      cwd: options.cwd ?? ROOT,
    },
    stdout: () => out,
    stderr: () => err,
  };
}

/** Runs the CLI in-process and returns the exit code and the output. */
export async function cli(
  args: readonly string[],
  options: Parameters<typeof bufferIo>[0] = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const buffers = bufferIo(options);
  const code = await runCli(args, buffers.io, { version: '9.9.9-test' });
  return { code, stdout: buffers.stdout(), stderr: buffers.stderr() };
}

/** A fresh temporary directory and its cleanup. */
export async function tempDir(): Promise<{
  dir: string;
  path: (name: string) => string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'forced-tls-cli-'));
  return { dir, path: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
