import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './cli-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies Options;

/**
 * `node:util` `parseArgs` in strict mode with positionals, turning its errors into `EUSAGE`
 * {@link CliError}s that name the command.
 */
export function parseCommandArgs<const T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. To specify')[0] : String(error);
    throw new CliError('EUSAGE', message ?? 'invalid arguments', command);
  }
}

/** Parses a positive integer option, or throws `EUSAGE` naming the option. */
export function parsePositiveInt(
  command: string,
  name: string,
  value: string | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new CliError(
      'EUSAGE',
      `--${name} must be a positive integer, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return Number(value);
}

/** Throws `EUSAGE` unless `value` is one of `allowed`. */
export function parseChoice<T extends string>(
  command: string,
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliError(
      'EUSAGE',
      `--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return value as T;
}

/** Throws `EUSAGE` when a required option is missing. */
export function requireOption(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new CliError('EUSAGE', `missing --${name}`, command);
  return value;
}
