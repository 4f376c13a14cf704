import type { WhitelistEntry, WhitelistWriteContext } from '../../whitelist/index.js';
import type { TableNames } from './names.js';
import type { PgPoolClientLike } from './pg-types.js';
import { entryParams } from './rows.js';

const COLUMNS = 'id, direction, scope, value, reason, approved_by, consent_ref, created_at, expires_at';
const SET = `direction = $2, scope = $3, value = $4, reason = $5, approved_by = $6, consent_ref = $7,
  created_at = $8, expires_at = $9`;

/**
 * Opens the write: the actor and time for the audit trigger (transaction-local settings, so a
 * shared pool's other users never see them), then a lock that lets one writer at a time change
 * the entries while readers go on. Without the lock, two writers could each lock a row the other
 * needs before both wait for the revision row: a deadlock.
 */
async function begin(client: PgPoolClientLike, n: TableNames, context: WhitelistWriteContext | undefined) {
  await client.query(`LOCK TABLE ${n.entries} IN SHARE ROW EXCLUSIVE MODE`);
  await client.query(
    "SELECT set_config('forced_tls.actor', $1, true), set_config('forced_tls.at', $2, true)",
    [context?.actor ?? '', context?.at ?? ''],
  );
}

async function revision(client: PgPoolClientLike, n: TableNames): Promise<number> {
  const { rows } = await client.query(`SELECT revision::text AS revision FROM ${n.state}`);
  return Number(rows[0]?.revision ?? 0);
}

/** What a write committed: the revision, the ids whose rows it changed, and how many audit rows it wrote. */
export interface WriteResult {
  readonly revision: number;
  readonly changed: readonly string[];
  readonly audited: number;
}

/**
 * Stores `entry` inside the caller's transaction and returns the revision it committed at.
 * Same id: the row is updated (one `replace` audit row). Same direction, scope and value under
 * another id (another instance added it meanwhile): that row takes the new id and content, so the
 * key stays unique and the audit row names the replaced entry. Both at once: the row holding the
 * key is removed first, then the one with the id replaced (two audit rows).
 */
export async function writeAdd(
  client: PgPoolClientLike,
  n: TableNames,
  entry: WhitelistEntry,
  context: WhitelistWriteContext | undefined,
): Promise<WriteResult> {
  await begin(client, n, context);
  const params = entryParams(entry);
  const { rows } = await client.query(
    `SELECT id FROM ${n.entries} WHERE id = $1 OR (direction, scope, value) = ($2, $3, $4)`,
    params.slice(0, 4),
  );
  const ids = (rows as { id: string }[]).map((r) => r.id);
  const sameId = ids.includes(entry.id);
  const sameKey = ids.find((id) => id !== entry.id);
  const changed = sameKey === undefined ? [entry.id] : [sameKey, entry.id];
  if (sameId && sameKey !== undefined) {
    await client.query(`DELETE FROM ${n.entries} WHERE id = $1`, [sameKey]);
  }
  if (sameId) {
    await client.query(`UPDATE ${n.entries} SET ${SET} WHERE id = $1`, params);
  } else if (sameKey !== undefined) {
    await client.query(`UPDATE ${n.entries} SET id = $1, ${SET} WHERE id = $10`, [...params, sameKey]);
  } else {
    await client.query(
      `INSERT INTO ${n.entries} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      params,
    );
  }
  return { revision: await revision(client, n), changed, audited: sameId && sameKey !== undefined ? 2 : 1 };
}

/** Deletes `id` inside the caller's transaction; undefined (nothing written) for no such entry. */
export async function writeRemove(
  client: PgPoolClientLike,
  n: TableNames,
  id: string,
  context: WhitelistWriteContext | undefined,
): Promise<WriteResult | undefined> {
  await begin(client, n, context);
  const { rowCount } = await client.query(`DELETE FROM ${n.entries} WHERE id = $1`, [id]);
  return (rowCount ?? 0) > 0 ? { revision: await revision(client, n), changed: [id], audited: 1 } : undefined;
}
