import { describeValue, ForcedTlsError } from '../../errors/index.js';

/** The notification channel every PostgreSQL whitelist store sends on; the payload names the table. */
export const CHANNEL = 'forced_tls_whitelist';

// Lowercase so that quoted and unquoted spellings in hand-written SQL name the same object.
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
// PostgreSQL truncates identifiers at 63 bytes; the longest derived name adds `_migrations`.
export const MAX_TABLE = 63 - '_migrations'.length;

/** What every PostgreSQL store of this package is named by: its schema, its table, its migrations. */
export interface StoreNames {
  /** What the store keeps, for messages: `whitelist`, `MTA-STS policy cache`. */
  readonly kind: string;
  readonly schema: string;
  readonly table: string;
  /** `schema.table`, for messages and the notification payload. */
  readonly label: string;
  /** Quoted schema-qualified name of `<table>_migrations`. */
  readonly migrations: string;
}

/** The schema-qualified, quoted names of the whitelist store's tables and functions. */
export interface TableNames extends StoreNames {
  readonly entries: string;
  readonly audit: string;
  readonly state: string;
  /** Quoted schema-qualified name of another object of the store, `<table>_<suffix>`. */
  object(suffix: string): string;
  /** Unquoted name of another object of the store, `<table>_<suffix>` (for CREATE TRIGGER/INDEX). */
  bare(suffix: string): string;
}

/**
 * Checks a `schema` or `table` option of `factory` (`EPOLICY` naming it): a lowercase SQL
 * identifier of at most `max` characters, or `fallback` when not given.
 */
export function identifier(
  factory: string,
  path: string,
  value: unknown,
  fallback: string,
  max: number,
): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !IDENTIFIER.test(value) || value.length > max) {
    throw new ForcedTlsError(
      'EPOLICY',
      `${factory}: ${path} must be a lowercase SQL identifier (a-z, 0-9, _; at most ${max} characters), got ${describeValue(value)}`,
      { path, value },
    );
  }
  return value;
}

const FACTORY = 'createPostgresWhitelistStore';

/** Checks `schema` and `table` (`EPOLICY` if invalid) and derives every name from them. */
export function tableNames(schema: unknown, table: unknown): TableNames {
  const s = identifier(FACTORY, 'schema', schema, 'forced_tls', 63);
  const t = identifier(FACTORY, 'table', table, 'whitelist', MAX_TABLE);
  const q = (name: string) => `"${s}"."${name}"`;
  return {
    kind: 'whitelist',
    schema: s,
    table: t,
    label: `${s}.${t}`,
    entries: q(t),
    audit: q(`${t}_audit`),
    state: q(`${t}_state`),
    migrations: q(`${t}_migrations`),
    object: (suffix) => q(`${t}_${suffix}`),
    bare: (suffix) => `"${t}_${suffix}"`,
  };
}
