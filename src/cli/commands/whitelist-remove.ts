import { ForcedTlsError } from '../../errors/forced-tls-error.js';
import { COMMON_OPTIONS, parseCommandArgs, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { STORE_OPTIONS, withWhitelistStore } from '../whitelist-file.js';

const NAME = 'whitelist';

/** `forced-tls whitelist remove <id...>`: deletes entries by id; an unknown id is an error. */
export async function whitelistRemove(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    ...STORE_OPTIONS,
    store: { type: 'string' },
    actor: { type: 'string' },
  });
  const store = requireOption(NAME, 'store', values.store);
  if (positionals.length === 0)
    throw new CliError('EUSAGE', 'remove takes the id of at least one entry', NAME);
  const actor = values.actor ?? io.env['USER'] ?? 'forced-tls cli';
  const target = { store, schema: values.schema, table: values.table };
  await withWhitelistStore(
    io,
    target,
    async (whitelist) => {
      const known = new Set((await whitelist.list()).map((e) => e.id));
      const unknown = positionals.filter((id) => !known.has(id));
      // Check every id first, so a typo removes nothing.
      if (unknown.length > 0) {
        throw new ForcedTlsError('EWHITELIST', `no entry with id ${unknown.join(', ')}`, { value: unknown });
      }
      for (const id of positionals) {
        await whitelist.remove(id, actor);
        io.stdout.write(`removed ${id}\n`);
      }
    },
    { command: NAME, mustExist: true },
  );
  return EXIT.ok;
}
