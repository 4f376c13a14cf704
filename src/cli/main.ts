import { CliError } from './cli-error.js';
import { checkCommand } from './commands/check.js';
import { explainCommand } from './commands/explain.js';
import { postfixCommand } from './commands/postfix.js';
import { testPolicyCommand } from './commands/test-policy.js';
import { whitelistCommand } from './commands/whitelist.js';
import { type CliIo, EXIT, type ExitCode } from './io.js';
import { reportError } from './report-error.js';
import type { CommandSpec } from './spec.js';

const COMMANDS: readonly CommandSpec[] = [
  checkCommand,
  explainCommand,
  whitelistCommand,
  testPolicyCommand,
  postfixCommand,
];

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Printed by `--version`. @default 'unknown' */
  readonly version?: string;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: forced-tls <command> [options]',
    '',
    'Mandatory TLS for e-mail: check mail servers, explain and test a policy, keep the whitelist.',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     show help (also per command: forced-tls <command> --help)',
    '  --version      print the version',
    '  --debug        print stack traces with errors',
    '',
    'Exit codes: 0 ok, 1 usage or internal error, 2 requirement not met or mismatch, 3 network/DNS failure.',
    '',
  ].join('\n');
}

/**
 * Runs the `forced-tls` command line in-process: `argv` without the node and script paths.
 * Never throws; every error is reported as one line on `io.stderr` and yields exit code 1.
 *
 * @example
 * ```ts
 * const code = await runCli(['explain', '--policy', 'policy.json', 'anna@example.de'], {
 *   stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(),
 * });
 * ```
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: RunCliOptions = {},
): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr.write(overview());
      return EXIT.error;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(`${options.version ?? 'unknown'}\n`);
      return EXIT.ok;
    }
    if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
      io.stdout.write(overview());
      return EXIT.ok;
    }
    const name = first === 'help' ? rest[0] : first;
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) {
      throw new CliError('EUSAGE', `unknown command ${JSON.stringify(name)}`);
    }
    if (first === 'help' || rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.help);
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    reportError(error, io, debug);
    return EXIT.error;
  }
}
