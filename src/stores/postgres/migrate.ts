import type { TableNames } from './names.js';
import type { PgPoolClientLike } from './pg-types.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema-sql.js';
import { storeFailure } from './store-failure.js';

// First key of the advisory lock: "FTLS". The second is the schema's hash, so that stores in one
// schema migrate one at a time (CREATE SCHEMA included) while other schemas are not held up.
const LOCK_CLASS = 0x46544c53;

/** What a migration run found and did. */
export interface MigrationResult {
  /** The schema version found (0: not created yet). */
  readonly from: number;
  /** The schema version now. */
  readonly to: number;
}

/** The schema version recorded, 0 when the store's tables do not exist. */
export async function schemaVersion(client: PgPoolClientLike, n: TableNames): Promise<number> {
  const found = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [n.migrations]);
  if (found.rows[0]?.present !== true) return 0;
  const { rows } = await client.query(
    `SELECT coalesce(max(version), 0)::int AS version FROM ${n.migrations}`,
  );
  return Number(rows[0]?.version ?? 0);
}

function tooNew(n: TableNames, version: number) {
  return storeFailure(
    n,
    `has schema version ${version}, newer than this release's ${SCHEMA_VERSION}; upgrade forced-tls`,
  );
}

/**
 * Brings the store's schema to {@link SCHEMA_VERSION}: idempotent, and safe when many processes
 * start at once, since all of it runs in one transaction under an advisory lock (DDL in PostgreSQL
 * is transactional: a failed migration leaves nothing behind). Creates the schema only if it is
 * missing, so a role with CREATE on an existing schema suffices.
 */
export async function migrate(client: PgPoolClientLike, n: TableNames): Promise<MigrationResult> {
  const current = await schemaVersion(client, n);
  if (current === SCHEMA_VERSION) return { from: current, to: current };
  if (current > SCHEMA_VERSION) throw tooNew(n, current);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, n.schema]);
    const schema = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [n.schema]);
    if (schema.rows.length === 0) await client.query(`CREATE SCHEMA "${n.schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${n.migrations} (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    // Read again under the lock: another process may have migrated meanwhile.
    const from = await schemaVersion(client, n);
    if (from > SCHEMA_VERSION) throw tooNew(n, from);
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      await client.query(migration.sql(n));
      await client.query(`INSERT INTO ${n.migrations} (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
    await client.query('COMMIT');
    return { from, to: SCHEMA_VERSION };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Fails with `ESTORE` unless the schema is at this release's version (for `autoMigrate: false`). */
export async function requireSchema(client: PgPoolClientLike, n: TableNames): Promise<void> {
  const version = await schemaVersion(client, n);
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) throw tooNew(n, version);
  throw storeFailure(
    n,
    `has schema version ${version}, this release needs ${SCHEMA_VERSION}; run store.migrate() with a role that may create tables, or set autoMigrate: true`,
  );
}
