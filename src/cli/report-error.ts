import { isForcedTlsError } from '../errors/forced-tls-error.js';
import { isCliError } from './cli-error.js';
import type { CliIo } from './io.js';
import { printable } from './printable.js';

const CODE = /^[A-Z][A-Z0-9_]{2,}$/;

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * The code and the one-line message of any thrown value: `ForcedTlsError` and `CliError` keep
 * their codes, Node system errors (`ENOENT`, `EACCES`) theirs, anything else is `EINTERNAL`.
 */
export function describeError(error: unknown): { code: string; message: string } {
  if (isForcedTlsError(error) || isCliError(error)) {
    return { code: error.code, message: oneLine(error.message) };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && CODE.test(code)) {
      // Node prefixes system error messages with the code ("ENOENT: no such file …").
      const message = error.message.startsWith(`${code}: `)
        ? error.message.slice(code.length + 2)
        : error.message;
      return { code, message: oneLine(message) };
    }
    return { code: 'EINTERNAL', message: oneLine(`${error.name}: ${error.message}`) };
  }
  return { code: 'EINTERNAL', message: oneLine(String(error)) };
}

/**
 * Writes `error CODE: message` to stderr: one line, never a stack trace unless `debug` is set.
 * Usage errors add a pointer to the command's `--help`.
 */
export function reportError(error: unknown, io: CliIo, debug: boolean): void {
  const { code, message } = describeError(error);
  let line = `error ${code}: ${printable(message)}`;
  if (isCliError(error) && error.code === 'EUSAGE') {
    line += ` (see: forced-tls ${error.command ? `${error.command} ` : ''}--help)`;
  } else if (code === 'EINTERNAL' && !debug) {
    line += ' (run with --debug for details)';
  }
  io.stderr.write(`${line}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
}
