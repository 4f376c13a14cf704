/** Codes of errors the CLI raises itself; library errors keep their own codes (`EPOLICY`, …). */
export type CliErrorCode =
  /** A mistake on the command line: unknown option, missing argument, bad value. */
  | 'EUSAGE'
  /** An input file of the CLI (DNS fixture, expectations) is unreadable or malformed. */
  | 'EINPUT';

/**
 * An error of the command line itself. Printed as `error EUSAGE: …` (one line) with exit code 1.
 *
 * @example
 * ```ts
 * throw new CliError('EUSAGE', 'missing --policy', 'explain');
 * ```
 */
export class CliError extends Error {
  override readonly name = 'CliError' as const;
  readonly code: CliErrorCode;
  /** The command whose `--help` explains the usage, if any. */
  readonly command: string | undefined;

  constructor(code: CliErrorCode, message: string, command?: string) {
    super(message);
    this.code = code;
    this.command = command;
  }
}

/** True for a {@link CliError}. */
export function isCliError(value: unknown): value is CliError {
  return value instanceof CliError;
}
