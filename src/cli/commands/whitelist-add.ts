import { ForcedTlsError, isForcedTlsError } from '../../errors/forced-tls-error.js';
import { type NormalizedPattern, normalizePattern } from '../../policy/normalize.js';
import type { MatchScope } from '../../policy/types.js';
import { DIRECTIONS, SCOPES } from '../../whitelist/entry-enums.js';
import type { WhitelistEntry, WhitelistEntryInput } from '../../whitelist/types.js';
import { COMMON_OPTIONS, parseChoice, parseCommandArgs, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { printableJson } from '../printable.js';
import { STORE_OPTIONS, withWhitelistStore } from '../whitelist-file.js';
import { formatEntry } from './whitelist-format.js';

const NAME = 'whitelist';

function required(value: string | undefined, option: string): string {
  const text = value?.trim();
  if (text === undefined || text === '') {
    // The entry itself is invalid, not just the command line: same code as the library uses.
    throw new ForcedTlsError('EWHITELIST', `refused: an entry needs ${option} (who approved it and why)`, {
      path: option.slice(2),
    });
  }
  return text;
}

// The library names the fields of an entry; on the command line they are flags.
const FLAGS: Readonly<Record<string, string>> = {
  reason: '--reason',
  approvedBy: '--approved-by',
  consentRef: '--consent-ref',
  expiresAt: '--expires',
  direction: '--direction',
  scope: '--scope',
};

/**
 * The entry's domain or address, normalized as the library does. A malformed one is an invalid
 * entry (`EWHITELIST`, as `Whitelist.add` reports it), with the address error as its cause.
 */
function entryPattern(value: string, scope: MatchScope | undefined): NormalizedPattern {
  try {
    return normalizePattern(value, scope);
  } catch (error) {
    if (!isForcedTlsError(error)) throw error;
    throw new ForcedTlsError(
      'EWHITELIST',
      `Invalid whitelist entry: value ${JSON.stringify(value)}: ${error.message}`,
      {
        path: 'value',
        value,
        cause: error,
      },
    );
  }
}

/** An `EWHITELIST` from the library, reworded to name the flag instead of the field. */
function inFlagTerms(error: unknown): unknown {
  if (!isForcedTlsError(error) || error.code !== 'EWHITELIST' || error.path === undefined) return error;
  const flag = FLAGS[error.path];
  let message = error.message.replace(
    'set allowPublicSuffix to allow it',
    'pass --allow-public-suffix to allow it',
  );
  if (flag !== undefined) message = message.replace(`entry: ${error.path} `, `entry: ${flag} `);
  if (message === error.message) return error;
  return new ForcedTlsError('EWHITELIST', message, { path: error.path, value: error.value, cause: error });
}

/** `forced-tls whitelist add <value>`: validates and stores one entry, prints it. */
export async function whitelistAdd(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    ...STORE_OPTIONS,
    store: { type: 'string' },
    direction: { type: 'string' },
    scope: { type: 'string' },
    reason: { type: 'string' },
    'approved-by': { type: 'string' },
    'consent-ref': { type: 'string' },
    expires: { type: 'string' },
    'allow-public-suffix': { type: 'boolean' },
    actor: { type: 'string' },
    json: { type: 'boolean' },
  });
  const store = requireOption(NAME, 'store', values.store);
  if (positionals.length !== 1) {
    throw new CliError('EUSAGE', 'add takes exactly one value (domain, *.domain or address)', NAME);
  }
  const direction = parseChoice(NAME, 'direction', values.direction, DIRECTIONS) ?? 'outbound';
  const scope = parseChoice(NAME, 'scope', values.scope, SCOPES);
  const reason = required(values.reason, '--reason');
  const approvedBy = required(values['approved-by'], '--approved-by');
  const pattern = entryPattern(positionals[0] ?? '', scope);
  const input: WhitelistEntryInput = {
    direction,
    scope: pattern.scope,
    value: pattern.value,
    reason,
    approvedBy,
    ...(values['consent-ref'] === undefined ? {} : { consentRef: values['consent-ref'] }),
    // Passed as written: the library refuses a time without a zone, which `new Date()` would read
    // in this machine's local time zone.
    ...(values.expires === undefined ? {} : { expiresAt: values.expires }),
    ...(values['allow-public-suffix'] ? { allowPublicSuffix: true } : {}),
  };
  const target = { store, schema: values.schema, table: values.table };
  const entry: WhitelistEntry = await withWhitelistStore(
    io,
    target,
    (whitelist) =>
      whitelist.add(input, values.actor ?? approvedBy).catch((error: unknown) => {
        throw inFlagTerms(error);
      }),
    { command: NAME },
  );
  if (values.json) io.stdout.write(`${printableJson(entry)}\n`);
  else io.stdout.write(`added ${entry.id}\n${formatEntry(entry)}`);
  return EXIT.ok;
}
