import { ForcedTlsError, isForcedTlsError } from '../../errors/forced-tls-error.js';
import {
  checkDecisions,
  type DecisionExpectation,
  formatMismatches,
  parseExpectations,
} from '../../testing/policy-expectations.js';
import { COMMON_OPTIONS, parseCommandArgs, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { readInputFile } from '../input-file.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { loadPolicy, parseNow, resolvePath } from '../load-inputs.js';
import { printable, printableJson } from '../printable.js';
import type { CommandSpec } from '../spec.js';
import { loadWhitelistIndex, STORE_OPTIONS } from '../whitelist-file.js';

const NAME = 'test-policy';

const HELP = `Usage: forced-tls test-policy --policy <policy.json> [options] <expectations.json...>

Checks a table of expected decisions against the policy, for CI. Each row names an address and
the fields the decision must have (level, source, whitelistable, minVersion, rule, error); the
file format is in docs/cli.md of the package (node_modules/forced-tls/docs/cli.md). Prints every
mismatch with the decision's explanation. An empty table or a value no decision can have is an error.

Options:
  --policy <file>      the JSON policy file (required)
  --whitelist <store>  a whitelist to apply while deciding: a file (as written by
                       "forced-tls whitelist"; it must exist) or a postgres:// URL
  --schema, --table    with a postgres:// whitelist: its schema and table
                       (default: forced_tls, whitelist)
  --now <instant>      the instant for whitelist expiry, with a zone or a date alone
                       (default: now)
  --json               print the result as JSON
  --debug              print stack traces with errors
  -h, --help           show this help

Exit codes: 0 every expectation holds, 2 a mismatch, 1 an invalid policy or expectations file.
`;

async function readExpectations(io: CliIo, path: string): Promise<DecisionExpectation[]> {
  const text = await readInputFile(resolvePath(io, path), 'expectations', path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError('EINPUT', `expectations ${path}: invalid JSON: ${(error as Error).message}`);
  }
  try {
    return parseExpectations(json);
  } catch (error) {
    if (isForcedTlsError(error)) {
      throw new ForcedTlsError(error.code, `${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    policy: { type: 'string' },
    whitelist: { type: 'string' },
    ...STORE_OPTIONS,
    now: { type: 'string' },
    json: { type: 'boolean' },
  });
  const policyPath = requireOption(NAME, 'policy', values.policy);
  if (positionals.length === 0) throw new CliError('EUSAGE', 'name at least one expectations file', NAME);
  const now = parseNow(NAME, values.now);
  const policy = await loadPolicy(io, policyPath);
  if (values.whitelist === undefined && (values.schema ?? values.table) !== undefined) {
    throw new CliError('EUSAGE', '--schema and --table apply only to a postgres:// --whitelist', NAME);
  }
  const target =
    values.whitelist === undefined
      ? undefined
      : { store: values.whitelist, schema: values.schema, table: values.table };
  const whitelist = await loadWhitelistIndex(io, target, now, NAME);
  const expectations: DecisionExpectation[] = [];
  for (const file of positionals) expectations.push(...(await readExpectations(io, file)));

  const mismatches = checkDecisions(policy, expectations, { whitelist, now });
  const failed = new Set(mismatches.map((m) => m.expectation)).size;
  if (values.json) {
    const result = { policy: policyPath, expectations: expectations.length, failed, mismatches };
    io.stdout.write(`${printableJson(result)}\n`);
  } else if (mismatches.length === 0) {
    io.stdout.write(`ok: ${expectations.length} expectation(s) hold for ${policyPath}\n`);
  } else {
    io.stdout.write(
      `FAIL: ${failed} of ${expectations.length} expectation(s) failed for ${policyPath}\n` +
        `${formatMismatches(mismatches).split('\n').map(printable).join('\n')}\n`,
    );
  }
  return mismatches.length === 0 ? EXIT.ok : EXIT.unsatisfied;
}

/** `forced-tls test-policy`: table-driven expectations for CI. */
export const testPolicyCommand: CommandSpec = {
  name: NAME,
  summary: 'check a table of expected decisions against a policy (for CI)',
  help: HELP,
  run,
};
