import { ForcedTlsError, readShape } from '../../errors/index.js';
import { type MtaStsTableNames, mtaStsTableNames } from './mta-sts-names.js';
import type { PgPoolLike } from './pg-types.js';

/** Options for `createPostgresMtaStsCacheStore`: exactly one of `pool` and `connectionString`. */
export interface PostgresMtaStsCacheStoreOptions {
  /** Your `pg.Pool` (it may be the whitelist store's). The store never ends it; handle its `error` event as `pg` asks. */
  readonly pool?: PgPoolLike;
  /** A connection URL (`postgres://user@host:5432/db`); the store then loads `pg` and owns its pool. */
  readonly connectionString?: string;
  /** Connections of the pool the store creates for `connectionString`. @default 4 */
  readonly maxConnections?: number;
  /** The schema of the store's tables. @default 'forced_tls' */
  readonly schema?: string;
  /** The policies table; the other is `<table>_migrations`. @default 'mta_sts_policies' */
  readonly table?: string;
  /**
   * Create or upgrade the schema on first use (idempotent, under an advisory lock). With `false`
   * the store only checks the version and fails with `ESTORE` until `migrate()` has run.
   * @default true
   */
  readonly autoMigrate?: boolean;
  /** Deadline of each call (`get`, `set`, `delete`, `list`, `ready`, `migrate`), waiting for a connection included, counted from the call. @default 10_000 */
  readonly operationTimeoutMs?: number;
}

/** The options after checking, with defaults. */
export interface ResolvedMtaStsOptions {
  readonly names: MtaStsTableNames;
  readonly pool: PgPoolLike | undefined;
  readonly connectionString: string | undefined;
  readonly maxConnections: number;
  readonly autoMigrate: boolean;
  readonly operationTimeoutMs: number;
}

const FACTORY = 'createPostgresMtaStsCacheStore';
const FIELDS = {
  pool: 'any',
  connectionString: 'any',
  maxConnections: 'number',
  schema: 'string',
  table: 'string',
  autoMigrate: 'boolean',
  operationTimeoutMs: 'number',
} as const;

function invalid(path: string, why: string, value?: unknown): ForcedTlsError {
  // The connection string may hold a password, and a pool its configuration: never echoed.
  const shown = value === undefined ? {} : { value };
  return new ForcedTlsError('EPOLICY', `${FACTORY}: ${path} ${why}`, { path, ...shown });
}

function integer(value: unknown, path: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(path, `must be an integer ${min} … ${max}`, value);
  }
  return value;
}

function ownKeys(options: object): string[] {
  try {
    return Object.keys(options);
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', `${FACTORY}: options cannot be read`, {
      path: 'options',
      cause: error,
    });
  }
}

function isPool(value: unknown): value is PgPoolLike {
  try {
    const p = value as Partial<PgPoolLike> | null;
    return (
      typeof p === 'object' && p !== null && typeof p.connect === 'function' && typeof p.end === 'function'
    );
  } catch {
    return false;
  }
}

/** Checks the options at construction, naming the field that is wrong (`EPOLICY`). */
export function resolveMtaStsOptions(options: unknown): ResolvedMtaStsOptions {
  const o = readShape(options, FIELDS, { subject: `${FACTORY} option`, optional: false });
  const unknown = ownKeys(options as object).find((key) => !Object.hasOwn(FIELDS, key));
  if (unknown !== undefined) throw invalid(unknown, 'is not an option');
  const { pool, connectionString } = o;
  if ((pool === undefined) === (connectionString === undefined)) {
    throw invalid('pool', 'or connectionString: give exactly one of them');
  }
  if (pool !== undefined && !isPool(pool)) throw invalid('pool', 'must be a pg.Pool');
  if (connectionString !== undefined && (typeof connectionString !== 'string' || connectionString === '')) {
    throw invalid('connectionString', 'must be a non-empty string');
  }
  return {
    names: mtaStsTableNames(o.schema, o.table),
    pool: pool as PgPoolLike | undefined,
    connectionString: connectionString as string | undefined,
    maxConnections: integer(o.maxConnections, 'maxConnections', 4, 1, 1000),
    autoMigrate: (o.autoMigrate as boolean | undefined) ?? true,
    operationTimeoutMs: integer(o.operationTimeoutMs, 'operationTimeoutMs', 10_000, 10, 3_600_000),
  };
}
