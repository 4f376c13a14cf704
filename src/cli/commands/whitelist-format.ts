import { isEntryActive } from '../../policy/whitelist-index.js';
import type { WhitelistEntry } from '../../whitelist/types.js';
import { printable } from '../printable.js';
import { renderFields, renderTable } from '../table.js';

/** `active`, or `expired` once `expiresAt` has passed at `now`. */
export function entryStatus(entry: WhitelistEntry, now: Date): 'active' | 'expired' {
  return isEntryActive(entry, now) ? 'active' : 'expired';
}

/** One entry as indented `field value` lines. */
export function formatEntry(entry: WhitelistEntry): string {
  const fields: [string, string][] = [
    ['direction', entry.direction],
    ['scope', entry.scope],
    ['value', entry.value],
    ['reason', entry.reason],
    ['approved by', entry.approvedBy],
  ];
  if (entry.consentRef !== undefined) fields.push(['consent', entry.consentRef]);
  fields.push(['created', entry.createdAt]);
  if (entry.expiresAt !== undefined) fields.push(['expires', entry.expiresAt]);
  return renderFields(
    fields.map(([label, value]) => [label, printable(value)]),
    '  ',
  );
}

/** Entries as a table, one row each. */
export function formatEntryTable(entries: readonly WhitelistEntry[], now: Date): string {
  // Line breaks of a reason become blanks in a table row; any other control character is escaped.
  const rows = entries.map((e) =>
    [
      e.id,
      e.direction,
      e.scope,
      e.value,
      entryStatus(e, now),
      e.expiresAt ?? '-',
      e.approvedBy,
      e.consentRef ?? '-',
      e.reason,
    ].map((cell) => printable(cell.replace(/[\t\n]+/g, ' '))),
  );
  return renderTable(
    ['ID', 'DIRECTION', 'SCOPE', 'VALUE', 'STATUS', 'EXPIRES', 'APPROVED BY', 'CONSENT', 'REASON'],
    rows,
  );
}
