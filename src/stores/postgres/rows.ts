import { findEntryProblem, type WhitelistEntry } from '../../whitelist/index.js';
import type { TableNames } from './names.js';
import { storeFailure } from './store-failure.js';

/** An entry row as selected with `ENTRY_COLUMNS`. */
export interface EntryRow {
  readonly id: string;
  readonly direction: string;
  readonly scope: string;
  readonly value: string;
  readonly reason: string;
  readonly approved_by: string;
  readonly consent_ref: string | null;
  readonly created_at: string;
  readonly expires_at: string | null;
}

/**
 * A row as a frozen {@link WhitelistEntry}, checked like a line of the whitelist file: a row that
 * is not a well-formed, normalized entry (written by hand, say) fails with `ESTORE` naming it,
 * rather than being guessed at.
 */
export function entryFromRow(n: TableNames, row: EntryRow): WhitelistEntry {
  const entry = {
    id: row.id,
    direction: row.direction,
    scope: row.scope,
    value: row.value,
    reason: row.reason,
    approvedBy: row.approved_by,
    ...(row.consent_ref === null ? {} : { consentRef: row.consent_ref }),
    createdAt: row.created_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
  };
  const problem = findEntryProblem(entry);
  if (problem !== undefined) {
    const shown = JSON.stringify(problem.value)?.slice(0, 80) ?? 'missing';
    throw storeFailure(n, `row id ${JSON.stringify(row.id)}: ${problem.field} ${shown} ${problem.why}`);
  }
  // Built in the canonical field order without undefined-valued keys, so freezing it is enough.
  return Object.freeze(entry) as WhitelistEntry;
}

/** The parameters of an INSERT or UPDATE of all columns, in `ENTRY_COLUMNS` order. */
export function entryParams(entry: WhitelistEntry): unknown[] {
  return [
    entry.id,
    entry.direction,
    entry.scope,
    entry.value,
    entry.reason,
    entry.approvedBy,
    entry.consentRef ?? null,
    entry.createdAt,
    entry.expiresAt ?? null,
  ];
}
