import { identifier, MAX_TABLE, type StoreNames } from './names.js';

/** The schema-qualified, quoted names of the MTA-STS policy cache's tables. */
export interface MtaStsTableNames extends StoreNames {
  /** Quoted schema-qualified name of the policies table. */
  readonly policies: string;
  /** Unquoted name of another object of the store, `<table>_<suffix>` (for constraints). */
  bare(suffix: string): string;
}

/** The default table of the MTA-STS policy cache. */
export const MTA_STS_TABLE = 'mta_sts_policies';

/** Checks `schema` and `table` (`EPOLICY` if invalid) and derives every name from them. */
export function mtaStsTableNames(schema: unknown, table: unknown): MtaStsTableNames {
  const factory = 'createPostgresMtaStsCacheStore';
  const s = identifier(factory, 'schema', schema, 'forced_tls', 63);
  const t = identifier(factory, 'table', table, MTA_STS_TABLE, MAX_TABLE);
  const q = (name: string) => `"${s}"."${name}"`;
  return {
    kind: 'MTA-STS policy cache',
    schema: s,
    table: t,
    label: `${s}.${t}`,
    policies: q(t),
    migrations: q(`${t}_migrations`),
    bare: (suffix) => `"${t}_${suffix}"`,
  };
}
