import { CliError } from '../cli-error.js';
import type { CliIo, ExitCode } from '../io.js';
import type { CommandSpec } from '../spec.js';
import { whitelistAdd } from './whitelist-add.js';
import { whitelistAudit } from './whitelist-audit.js';
import { whitelistList } from './whitelist-list.js';
import { whitelistRemove } from './whitelist-remove.js';

const NAME = 'whitelist';

const HELP = `Usage: forced-tls whitelist <add|remove|list|audit> --store <store> [options]

Keeps the whitelist: recipients (outbound) or senders (inbound) that may be mailed without TLS.
Every entry names a reason and an approver; an entry without them is refused.

The store is a whitelist file (whitelist.json) or a PostgreSQL database (postgres://user@host/db,
with --schema <name> and --table <name> when not the defaults forced_tls and whitelist).

  forced-tls whitelist add <value> --store <store> --reason <text> --approved-by <name> [options]
    <value>               example.de (that domain), *.example.de (its subdomains) or user@example.de
    --direction <dir>     outbound (default) or inbound
    --scope <scope>       domain, subdomains or address (default: inferred from the value)
    --reason <text>       why plaintext is acceptable (required)
    --approved-by <name>  who approved it (required)
    --consent-ref <ref>   reference to the client's written consent
    --expires <instant>   when the entry stops applying: a time with a zone
                          (2027-06-30T18:00+02:00) or a date alone (00:00 UTC)
    --allow-public-suffix allow an entry on a public suffix such as co.uk
    --actor <name>        who makes the change, for the audit trail (default: the approver)
    --json                print the new entry as JSON

  forced-tls whitelist remove <id...> --store <store> [--actor <name>]
  forced-tls whitelist list --store <store> [--direction <dir>] [--now <instant>] [--json]
  forced-tls whitelist audit --store <store> [--since <instant>] [--json | --csv]
    every add, replacement and removal with actor and time, oldest first (PostgreSQL store;
    a file keeps no audit trail)

A store file is created on the first "add"; every other subcommand refuses a file that does not
exist. Exit codes: 0 done, 1 invalid entry, unknown id, missing or unusable store.
`;

const SUBCOMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<ExitCode>>> = {
  add: whitelistAdd,
  remove: whitelistRemove,
  list: whitelistList,
  audit: whitelistAudit,
};

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = args;
  const handler = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (handler === undefined) {
    const what = sub === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(sub)}`;
    throw new CliError('EUSAGE', `${what}: use add, remove, list or audit`, NAME);
  }
  return handler(rest, io);
}

/** `forced-tls whitelist add|remove|list`. */
export const whitelistCommand: CommandSpec = {
  name: NAME,
  summary: 'add, remove, list or audit whitelist entries in a file or PostgreSQL',
  help: HELP,
  run,
};
