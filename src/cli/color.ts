import type { CliIo, CliStream } from './io.js';

/** Wraps text in an ANSI color, or returns it unchanged. */
export type Paint = (text: string, color: 'green' | 'red' | 'yellow' | 'bold') => string;

const CODES = { green: 32, red: 31, yellow: 33, bold: 1 } as const;

/**
 * Colors only for a terminal, and never when `NO_COLOR` is set (https://no-color.org) or
 * `TERM=dumb`: output piped to a file or a CI log stays plain text.
 */
export function painter(stream: CliStream, env: CliIo['env']): Paint {
  const enabled = stream.isTTY === true && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
  return enabled ? (text, color) => `\u001b[${CODES[color]}m${text}\u001b[0m` : (text) => text;
}
