import type { WhitelistEntry } from '../../whitelist/index.js';
import type { TableNames } from './names.js';
import type { PgPoolClientLike } from './pg-types.js';
import { type EntryRow, entryFromRow } from './rows.js';
import { ENTRY_COLUMNS } from './schema-sql.js';

/** What one read found: everything (`full`), or the changes after the mirror's revision. */
export type ReadResult =
  | { readonly kind: 'full'; readonly revision: number; readonly entries: readonly WhitelistEntry[] }
  | {
      readonly kind: 'changes';
      readonly revision: number;
      /** Ids added, replaced, removed (or renamed from) since the mirror's revision. */
      readonly changed: readonly string[];
      /** The current rows of those ids; an id without a row was removed. */
      readonly entries: readonly WhitelistEntry[];
    };

async function readAll(client: PgPoolClientLike, n: TableNames, revision: number): Promise<ReadResult> {
  // Heap order, unsorted: sorting 100k rows would cost more than the rest of the read.
  const { rows } = await client.query(`SELECT ${ENTRY_COLUMNS} FROM ${n.entries}`);
  return { kind: 'full', revision, entries: (rows as EntryRow[]).map((row) => entryFromRow(n, row)) };
}

/**
 * Reads what the mirror at revision `since` (undefined: nothing loaded yet) lacks. Must run inside
 * a read-only repeatable-read transaction, so that the revision, the audit rows and the entries
 * come from one snapshot. The audit trail numbers changes without gaps, so when it holds exactly
 * the rows `since + 1 … revision`, those ids are all that changed; anything else (a database
 * restored to an earlier revision, say) reads everything.
 */
export async function readChanges(
  client: PgPoolClientLike,
  n: TableNames,
  since: number | undefined,
): Promise<ReadResult> {
  const state = await client.query(`SELECT revision::text AS revision FROM ${n.state}`);
  const revision = Number(state.rows[0]?.revision ?? 0);
  if (since === undefined || revision < since) return readAll(client, n, revision);
  if (revision === since) return { kind: 'changes', revision, changed: [], entries: [] };
  const audit = await client.query(
    `SELECT seq::text AS seq, entry_id, previous->>'id' AS previous_id FROM ${n.audit}
     WHERE seq > $1 AND seq <= $2 ORDER BY seq`,
    [since, revision],
  );
  if (audit.rows.length !== revision - since) return readAll(client, n, revision);
  const changed = new Set<string>();
  for (const row of audit.rows as { entry_id: string; previous_id: string | null }[]) {
    changed.add(row.entry_id);
    if (row.previous_id !== null) changed.add(row.previous_id);
  }
  const ids = [...changed];
  const { rows } = await client.query(`SELECT ${ENTRY_COLUMNS} FROM ${n.entries} WHERE id = ANY($1)`, [ids]);
  return {
    kind: 'changes',
    revision,
    changed: ids,
    entries: (rows as EntryRow[]).map((row) => entryFromRow(n, row)),
  };
}
