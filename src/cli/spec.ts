import type { Command } from './io.js';

/** One subcommand of `forced-tls`. */
export interface CommandSpec {
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** The full `--help` text, ending in a newline. */
  readonly help: string;
  readonly run: Command;
}
