import { MAX_AUDIT_LIMIT, type WhitelistAuditRecord, type WhitelistEntry } from '../../whitelist/index.js';
import { ISO_INSTANT_FORMS, parseIsoInstant } from '../../whitelist/iso-instant.js';
import { COMMON_OPTIONS, parseCommandArgs, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { renderTable } from '../table.js';
import { STORE_OPTIONS, withWhitelistStore } from '../whitelist-file.js';

const NAME = 'whitelist';

/** `add`, `replace` (an add that replaced an entry) or `remove`: the action as a person reads it. */
function action(record: WhitelistAuditRecord): string {
  return record.type === 'remove' ? 'remove' : record.previous === undefined ? 'add' : 'replace';
}

const CSV_COLUMNS = [
  'seq',
  'at',
  'action',
  'actor',
  'id',
  'direction',
  'scope',
  'value',
  'reason',
  'approved_by',
  'consent_ref',
  'created_at',
  'expires_at',
  'previous',
] as const;

function csvRow(r: WhitelistAuditRecord): string[] {
  const e: WhitelistEntry = r.entry;
  return [
    String(r.seq),
    r.at,
    action(r),
    r.actor,
    e.id,
    e.direction,
    e.scope,
    e.value,
    e.reason,
    e.approvedBy,
    e.consentRef ?? '',
    e.createdAt,
    e.expiresAt ?? '',
    r.previous === undefined ? '' : JSON.stringify(r.previous),
  ];
}

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records as CSV with a header line, CRLF line ends (RFC 4180), every field of the entry. */
export function formatAuditCsv(records: readonly WhitelistAuditRecord[]): string {
  const lines = [CSV_COLUMNS.join(','), ...records.map((r) => csvRow(r).map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function formatAuditTable(records: readonly WhitelistAuditRecord[]): string {
  const rows = records.map((r) => [
    String(r.seq),
    r.at,
    action(r),
    r.actor,
    r.entry.id,
    r.entry.direction,
    r.entry.scope,
    r.entry.value,
    r.entry.approvedBy,
    r.entry.consentRef ?? '-',
    r.entry.reason,
  ]);
  return renderTable(
    ['SEQ', 'AT', 'ACTION', 'ACTOR', 'ID', 'DIRECTION', 'SCOPE', 'VALUE', 'APPROVED BY', 'CONSENT', 'REASON'],
    rows,
  );
}

/** `forced-tls whitelist audit`: the store's audit trail, oldest first, as a table, JSON or CSV. */
export async function whitelistAudit(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    ...STORE_OPTIONS,
    store: { type: 'string' },
    since: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
  });
  const store = requireOption(NAME, 'store', values.store);
  if (positionals.length > 0) throw new CliError('EUSAGE', 'audit takes no arguments', NAME);
  if (values.json && values.csv) throw new CliError('EUSAGE', 'use --json or --csv, not both', NAME);
  let since: Date | undefined;
  if (values.since !== undefined) {
    const time = parseIsoInstant(values.since);
    if (time === undefined || Number.isNaN(time)) {
      throw new CliError(
        'EUSAGE',
        `--since must be ${ISO_INSTANT_FORMS}, got ${JSON.stringify(values.since)}`,
        NAME,
      );
    }
    since = new Date(time);
  }
  const target = { store, schema: values.schema, table: values.table };
  const records = await withWhitelistStore(
    io,
    target,
    async (whitelist) => {
      // Page through the whole trail: a record a Kanzlei files must not be cut off at a limit.
      const all: WhitelistAuditRecord[] = [];
      for (;;) {
        const page = await whitelist.audit({
          ...(since === undefined ? {} : { since }),
          afterSeq: all.at(-1)?.seq ?? 0,
          limit: MAX_AUDIT_LIMIT,
        });
        all.push(...page);
        if (page.length < MAX_AUDIT_LIMIT) return all;
      }
    },
    { command: NAME, mustExist: true },
  );
  if (values.json) io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
  else if (values.csv) io.stdout.write(formatAuditCsv(records));
  else if (records.length === 0) io.stdout.write('no audit records\n');
  else io.stdout.write(formatAuditTable(records));
  return EXIT.ok;
}
