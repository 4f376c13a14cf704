import type { StoreNames, TableNames } from './names.js';
import type { PgPoolClientLike } from './pg-types.js';
import { MIGRATIONS, type Migration } from './schema-sql.js';
import { storeFailure } from './store-failure.js';

// First key of the advisory lock: "FTLS". The second is the schema's hash, so that stores in one
// schema migrate one at a time (CREATE SCHEMA included, whichever of the package's stores it is)
// while other schemas are not held up.
const LOCK_CLASS = 0x46544c53;

/** What a migration run found and did. */
export interface MigrationResult {
  /** The schema version found (0: not created yet). */
  readonly from: number;
  /** The schema version now. */
  readonly to: number;
}

/** The schema version recorded, 0 when the store's tables do not exist. */
export async function schemaVersion(client: PgPoolClientLike, n: StoreNames): Promise<number> {
  const found = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [n.migrations]);
  if (found.rows[0]?.present !== true) return 0;
  const { rows } = await client.query(
    `SELECT coalesce(max(version), 0)::int AS version FROM ${n.migrations}`,
  );
  return Number(rows[0]?.version ?? 0);
}

function tooNew(n: StoreNames, version: number, latest: number) {
  return storeFailure(
    n,
    `has schema version ${version}, newer than this release's ${latest}; upgrade forced-tls`,
  );
}

/**
 * Brings a store's schema to the last of `migrations` (numbered 1, 2, 3 …): idempotent, and safe
 * when many processes start at once, since all of it runs in one transaction under an advisory
 * lock (DDL in PostgreSQL is transactional: a failed migration leaves nothing behind). Creates the
 * schema only if it is missing, so a role with CREATE on an existing schema suffices.
 */
export async function migrateStore<N extends StoreNames>(
  client: PgPoolClientLike,
  n: N,
  migrations: readonly Migration<N>[],
): Promise<MigrationResult> {
  const latest = migrations.length;
  const current = await schemaVersion(client, n);
  if (current === latest) return { from: current, to: current };
  if (current > latest) throw tooNew(n, current, latest);
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
    if (from > latest) throw tooNew(n, from, latest);
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      await client.query(migration.sql(n));
      await client.query(`INSERT INTO ${n.migrations} (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
    await client.query('COMMIT');
    return { from, to: latest };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Fails with `ESTORE` unless the schema is at the last of `migrations` (for `autoMigrate: false`). */
export async function requireStoreSchema(
  client: PgPoolClientLike,
  n: StoreNames,
  migrations: readonly Migration<never>[],
): Promise<void> {
  const latest = migrations.length;
  const version = await schemaVersion(client, n);
  if (version === latest) return;
  if (version > latest) throw tooNew(n, version, latest);
  throw storeFailure(
    n,
    `has schema version ${version}, this release needs ${latest}; run store.migrate() with a role that may create tables, or set autoMigrate: true`,
  );
}

/** Brings the whitelist store's schema to this release's version (see {@link migrateStore}). */
export function migrate(client: PgPoolClientLike, n: TableNames): Promise<MigrationResult> {
  return migrateStore(client, n, MIGRATIONS);
}

/** Fails with `ESTORE` unless the whitelist schema is at this release's version. */
export function requireSchema(client: PgPoolClientLike, n: TableNames): Promise<void> {
  return requireStoreSchema(client, n, MIGRATIONS);
}
