import { ForcedTlsError, readShape } from '../../errors/index.js';
import type { Clock } from '../../whitelist/index.js';
import { type TableNames, tableNames } from './names.js';
import type { PgPoolLike } from './pg-types.js';

/** Something the store reports about its connection, for logs and health checks. */
export type PostgresStoreEvent =
  | {
      /** `listening`: LISTEN is in place, after the first load and after every reconnect. */
      readonly type: 'listening';
    }
  | {
      /** `connection-lost`: the LISTEN connection failed or ended; the store reconnects with backoff. */
      readonly type: 'connection-lost';
      /** The error's message on one line. */
      readonly error: string;
    }
  | {
      /** `synced`: the in-memory copy was brought up to date with the database. */
      readonly type: 'synced';
      /** The database's change counter read by this sync. */
      readonly revision: number;
      /** True when every entry was read (the first load, or a gap in the audit trail), false for changes only. */
      readonly full: boolean;
      /** Entries in the in-memory copy after the sync. */
      readonly entries: number;
    }
  | {
      /** `sync-failed`: reading the changes failed; the copy stays as it was and ages towards `maxStalenessMs`. */
      readonly type: 'sync-failed';
      /** The error's message on one line. */
      readonly error: string;
    };

/** Options for `createPostgresWhitelistStore`: exactly one of `pool` and `connectionString`. */
export interface PostgresWhitelistStoreOptions {
  /**
   * Your `pg.Pool`. The store holds one of its connections for LISTEN and uses others briefly; it
   * never ends the pool. Handle the pool's `error` event (idle connections the server closed) as
   * `pg` asks.
   */
  readonly pool?: PgPoolLike;
  /** A connection URL (`postgres://user@host:5432/db`); the store then loads `pg` and owns its pool. */
  readonly connectionString?: string;
  /** Connections of the pool the store creates for `connectionString`. @default 4 */
  readonly maxConnections?: number;
  /** The schema of the store's tables. @default 'forced_tls' */
  readonly schema?: string;
  /** The entries table; the others are `<table>_audit`, `<table>_state`, `<table>_migrations`. @default 'whitelist' */
  readonly table?: string;
  /**
   * Create or upgrade the schema on first use (idempotent, under an advisory lock). With `false`
   * the store only checks the version and fails with `ESTORE` until `migrate()` has run.
   * @default true
   */
  readonly autoMigrate?: boolean;
  /**
   * How long the in-memory copy may go unconfirmed (no successful heartbeat or read) before
   * `list()` and `revision()`, and so `Whitelist.snapshot()`, fail with `ESTORE`. This bounds how
   * long a consent revoked elsewhere can still lift a TLS requirement here while the database is
   * unreachable. @default 60_000
   */
  readonly maxStalenessMs?: number;
  /** How often the store asks the database for the current revision. Must be below `maxStalenessMs`. @default 1_000 */
  readonly heartbeatMs?: number;
  /** Deadline of each store call and of each heartbeat, counted from the call. @default 10_000 */
  readonly operationTimeoutMs?: number;
  /** First pause before reconnecting the LISTEN connection; doubles up to `reconnectMaxMs`. @default 100 */
  readonly reconnectMinMs?: number;
  /** Longest pause between reconnect attempts. @default 5_000 */
  readonly reconnectMaxMs?: number;
  /** Source of time for staleness; tests inject one instead of sleeping. @default () => new Date() */
  readonly clock?: Clock;
  /** Called with connection and sync events; a throwing listener is ignored. */
  readonly onEvent?: (event: PostgresStoreEvent) => void;
}

/** The options after checking, with defaults. */
export interface ResolvedOptions {
  readonly names: TableNames;
  readonly pool: PgPoolLike | undefined;
  readonly connectionString: string | undefined;
  readonly maxConnections: number;
  readonly autoMigrate: boolean;
  readonly maxStalenessMs: number;
  readonly heartbeatMs: number;
  readonly operationTimeoutMs: number;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** Undefined: the system clock. */
  readonly clock: Clock | undefined;
  readonly onEvent: ((event: PostgresStoreEvent) => void) | undefined;
}

function invalid(path: string, value: unknown, why: string): ForcedTlsError {
  // The connection string may hold a password: never echo it.
  const shown = path === 'connectionString' || path === 'pool' ? {} : { value };
  return new ForcedTlsError('EPOLICY', `createPostgresWhitelistStore: ${path} ${why}`, { path, ...shown });
}

function integer(o: Record<string, unknown>, path: string, fallback: number, min: number, max: number) {
  const value = o[path];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(path, value, `must be an integer ${min} … ${max}`);
  }
  return value;
}

const KNOWN = new Set([
  'pool',
  'connectionString',
  'maxConnections',
  'schema',
  'table',
  'autoMigrate',
  'maxStalenessMs',
  'heartbeatMs',
  'operationTimeoutMs',
  'reconnectMinMs',
  'reconnectMaxMs',
  'clock',
  'onEvent',
]);

const FIELDS = Object.fromEntries([...KNOWN].map((key) => [key, 'any'])) as Record<string, 'any'>;

function isPool(pool: unknown): boolean {
  try {
    const p = pool as Partial<PgPoolLike>;
    return typeof p.connect === 'function' && typeof p.end === 'function';
  } catch {
    return false;
  }
}

/** Checks the options at construction, naming the field that is wrong (`EPOLICY`). */
export function resolveOptions(input: PostgresWhitelistStoreOptions): ResolvedOptions {
  if (typeof input !== 'object' || input === null) {
    throw invalid('options', input, 'must be an object with pool or connectionString');
  }
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', 'createPostgresWhitelistStore: options cannot be read', {
      path: 'options',
      cause: error,
    });
  }
  const unknown = keys.find((key) => !KNOWN.has(key));
  if (unknown !== undefined) throw invalid(unknown, undefined, 'is not an option');
  // Each option read once, in its own try; the checks below see this copy only.
  const o = readShape(input, FIELDS, { subject: 'createPostgresWhitelistStore option' }) as Record<
    string,
    unknown
  >;
  const options = o as PostgresWhitelistStoreOptions;
  const { pool, connectionString } = options;
  if ((pool === undefined) === (connectionString === undefined)) {
    throw invalid('pool', undefined, 'or connectionString: give exactly one of them');
  }
  if (pool !== undefined && !isPool(pool)) throw invalid('pool', undefined, 'must be a pg.Pool');
  if (connectionString !== undefined && (typeof connectionString !== 'string' || connectionString === '')) {
    throw invalid('connectionString', undefined, 'must be a non-empty string');
  }
  for (const name of ['clock', 'onEvent'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function')
      throw invalid(name, o[name], 'must be a function');
  }
  if (o['autoMigrate'] !== undefined && typeof o['autoMigrate'] !== 'boolean') {
    throw invalid('autoMigrate', o['autoMigrate'], 'must be a boolean');
  }
  const heartbeatMs = integer(o, 'heartbeatMs', 1_000, 10, 600_000);
  const maxStalenessMs = integer(o, 'maxStalenessMs', 60_000, 20, 86_400_000);
  if (maxStalenessMs <= heartbeatMs) {
    throw invalid('maxStalenessMs', maxStalenessMs, `must be greater than heartbeatMs (${heartbeatMs})`);
  }
  const reconnectMinMs = integer(o, 'reconnectMinMs', 100, 1, 600_000);
  const reconnectMaxMs = integer(o, 'reconnectMaxMs', 5_000, 1, 3_600_000);
  if (reconnectMaxMs < reconnectMinMs) {
    throw invalid('reconnectMaxMs', reconnectMaxMs, `must be at least reconnectMinMs (${reconnectMinMs})`);
  }
  return {
    names: tableNames(options.schema, options.table),
    pool,
    connectionString,
    maxConnections: integer(o, 'maxConnections', 4, 2, 1000),
    autoMigrate: options.autoMigrate ?? true,
    maxStalenessMs,
    heartbeatMs,
    operationTimeoutMs: integer(o, 'operationTimeoutMs', 10_000, 10, 3_600_000),
    reconnectMinMs,
    reconnectMaxMs,
    clock: options.clock,
    onEvent: options.onEvent,
  };
}
