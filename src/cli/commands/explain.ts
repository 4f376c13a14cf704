import type { Decision } from '../../policy/types.js';
import { COMMON_OPTIONS, parseCommandArgs, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { loadPolicy, parseNow } from '../load-inputs.js';
import { printable, printableJson } from '../printable.js';
import { describeError } from '../report-error.js';
import type { CommandSpec } from '../spec.js';
import { loadWhitelistIndex, STORE_OPTIONS } from '../whitelist-file.js';

const NAME = 'explain';

const HELP = `Usage: forced-tls explain --policy <policy.json> [options] <address...>

Shows, per address, the TLS level the policy requires and why.

Options:
  --policy <file>      the JSON policy file (required)
  --whitelist <store>  a whitelist to apply: a file (as written by "forced-tls whitelist";
                       it must exist) or a postgres:// URL
  --schema, --table    with a postgres:// whitelist: its schema and table
                       (default: forced_tls, whitelist)
  --inbound            decide for senders of inbound mail instead of recipients
  --now <instant>      the instant for whitelist expiry, with a zone or a date alone
                       (default: now)
  --json               print a JSON array instead of text
  --debug              print stack traces with errors
  -h, --help           show this help

Exit codes: 0 every address decided, 1 an address is malformed or an input is invalid.
`;

/** A decision as JSON: its data plus the `explain()` text. */
function toJson(decision: Decision): Record<string, unknown> {
  return { ...decision, explain: decision.explain() };
}

function toText(address: string, decision: Decision): string {
  const required = decision.tlsRequired ? 'TLS required' : 'plaintext allowed';
  return (
    printable(`${address}  ${decision.level}  ${required}  (${decision.source})`) +
    `\n  ${printable(decision.explain())}\n`
  );
}

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    ...STORE_OPTIONS,
    policy: { type: 'string' },
    whitelist: { type: 'string' },
    inbound: { type: 'boolean' },
    now: { type: 'string' },
    json: { type: 'boolean' },
  });
  const policyPath = requireOption(NAME, 'policy', values.policy);
  if (positionals.length === 0) throw new CliError('EUSAGE', 'name at least one address', NAME);
  const now = parseNow(NAME, values.now);
  const policy = await loadPolicy(io, policyPath);
  const target =
    values.whitelist === undefined
      ? undefined
      : { store: values.whitelist, schema: values.schema, table: values.table };
  const whitelist = await loadWhitelistIndex(io, target, now, NAME);

  let code: ExitCode = EXIT.ok;
  const json: Record<string, unknown>[] = [];
  for (const address of positionals) {
    try {
      const decision = values.inbound
        ? policy.inbound(address, { whitelist, now })
        : policy.outbound(address, { whitelist, now });
      if (values.json) json.push({ address, ...toJson(decision) });
      else io.stdout.write(toText(address, decision));
    } catch (error) {
      // A malformed address is reported and skipped; the others are still explained.
      const { code: errorCode, message } = describeError(error);
      if (errorCode === 'EINTERNAL') throw error;
      if (values.json) json.push({ address, error: { code: errorCode, message } });
      else io.stderr.write(`error ${errorCode}: ${printable(message)}\n`);
      code = EXIT.error;
    }
  }
  if (values.json) io.stdout.write(`${printableJson(json)}\n`);
  return code;
}

/** `forced-tls explain`: the decision and its reason, per address. */
export const explainCommand: CommandSpec = {
  name: NAME,
  summary: 'show the TLS level the policy requires for addresses, and why',
  help: HELP,
  run,
};
