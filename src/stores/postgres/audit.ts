import {
  canonicalEntry,
  type WhitelistAuditQuery,
  type WhitelistAuditRecord,
  type WhitelistEntry,
} from '../../whitelist/index.js';
import type { TableNames } from './names.js';
import type { PgPoolClientLike } from './pg-types.js';

interface AuditRow {
  readonly seq: string;
  readonly at: string;
  readonly action: 'add' | 'replace' | 'remove';
  readonly entry: string;
  readonly previous: string | null;
  readonly actor: string;
}

// jsonb is selected as text and parsed here, so a pool with its own type parsers reads the same.
function entry(text: string): WhitelistEntry {
  return canonicalEntry(JSON.parse(text) as WhitelistEntry);
}

/** Reads audit rows as {@link WhitelistAuditRecord}s, oldest first (`replace` is an add with `previous`). */
export async function readAudit(
  client: PgPoolClientLike,
  n: TableNames,
  query: WhitelistAuditQuery,
): Promise<WhitelistAuditRecord[]> {
  const { rows } = await client.query(
    `SELECT seq::text AS seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
       action, entry::text AS entry, previous::text AS previous, actor
     FROM ${n.audit}
     WHERE seq > $1 AND ($2::timestamptz IS NULL OR at >= $2::timestamptz)
     ORDER BY seq LIMIT $3`,
    [query.afterSeq, query.since ?? null, query.limit],
  );
  return (rows as AuditRow[]).map((row) =>
    Object.freeze({
      seq: Number(row.seq),
      type: row.action === 'remove' ? ('remove' as const) : ('add' as const),
      entry: entry(row.entry),
      actor: row.actor,
      at: row.at,
      ...(row.previous === null ? {} : { previous: entry(row.previous) }),
    }),
  );
}
