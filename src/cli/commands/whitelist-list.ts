import { DIRECTIONS } from '../../whitelist/entry-enums.js';
import { COMMON_OPTIONS, parseChoice, parseCommandArgs, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { parseNow } from '../load-inputs.js';
import { printableJson } from '../printable.js';
import { STORE_OPTIONS, withWhitelistStore } from '../whitelist-file.js';
import { formatEntryTable } from './whitelist-format.js';

const NAME = 'whitelist';

/** `forced-tls whitelist list`: every entry (expired ones marked), as a table or JSON. */
export async function whitelistList(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    ...STORE_OPTIONS,
    store: { type: 'string' },
    direction: { type: 'string' },
    now: { type: 'string' },
    json: { type: 'boolean' },
  });
  const store = requireOption(NAME, 'store', values.store);
  if (positionals.length > 0) throw new CliError('EUSAGE', 'list takes no arguments', NAME);
  const direction = parseChoice(NAME, 'direction', values.direction, DIRECTIONS);
  const now = parseNow(NAME, values.now);
  const target = { store, schema: values.schema, table: values.table };
  const all = await withWhitelistStore(io, target, (whitelist) => whitelist.list({ includeExpired: true }), {
    command: NAME,
    mustExist: true,
  });
  const entries = direction === undefined ? all : all.filter((e) => e.direction === direction);
  if (values.json) io.stdout.write(`${printableJson(entries)}\n`);
  else if (entries.length === 0) io.stdout.write('no entries\n');
  else io.stdout.write(formatEntryTable(entries, now));
  return EXIT.ok;
}
