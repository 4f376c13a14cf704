/** A writable text stream as the CLI sees it (`process.stdout` satisfies it). */
export interface CliStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal: enables colors and the progress indicator. */
  readonly isTTY?: boolean;
}

/**
 * Everything a command touches outside its arguments. The bin passes the real process streams;
 * tests pass buffers, so commands run in-process.
 */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative file arguments resolve against this directory. */
  readonly cwd: string;
}

/**
 * Exit codes of every command:
 * - `ok` (0): success; for `check`, every domain satisfies the required level;
 * - `error` (1): usage, configuration or internal error;
 * - `unsatisfied` (2): `check` found a domain below the required level, or `test-policy` found a
 *   mismatch;
 * - `network` (3): `check` could not resolve or reach a domain's mail servers.
 */
export const EXIT = { ok: 0, error: 1, unsatisfied: 2, network: 3 } as const;

/** One of the {@link EXIT} codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A command: parses its own arguments, writes to `io`, resolves to an exit code. */
export type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>;
