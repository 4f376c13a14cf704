import type { MtaStsTableNames } from './mta-sts-names.js';
import { iso, type Migration } from './schema-sql.js';

/** The columns of a policy row, selected as text, whatever the pool's type parsers. */
export const POLICY_COLUMNS = `domain, policy_id, mode, max_age::text AS max_age,
  to_json(mx)::text AS mx, to_json(lines)::text AS lines,
  ${iso('fetched_at')} AS fetched_at, ${iso('checked_at')} AS checked_at, ${iso('expires_at')} AS expires_at`;

// One row per policy domain. The constraints hold what SQL can check cheaply (so a row written by
// hand cannot be half an entry); the store checks every row it reads in full (mx patterns, times)
// and refuses a malformed one with ESTORE, as the resolver would.
const V1 = (n: MtaStsTableNames) => `
CREATE TABLE ${n.policies} (
  domain text PRIMARY KEY CHECK (domain <> '' AND domain = lower(domain)),
  policy_id text NOT NULL CHECK (policy_id ~ '^[A-Za-z0-9]{1,32}$'),
  mode text NOT NULL CHECK (mode IN ('enforce', 'testing', 'none')),
  max_age integer NOT NULL CHECK (max_age BETWEEN 0 AND 31557600),
  mx text[] NOT NULL,
  lines text[] NOT NULL,
  fetched_at timestamptz NOT NULL,
  checked_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ${n.bare('mx_given')} CHECK (mode = 'none' OR cardinality(mx) > 0),
  CONSTRAINT ${n.bare('no_null_items')} CHECK (array_position(mx, NULL) IS NULL AND array_position(lines, NULL) IS NULL)
);
COMMENT ON TABLE ${n.policies} IS 'forced-tls: cached MTA-STS policies (RFC 8461), shared by every instance';
`;

/** Every migration of the MTA-STS policy cache in this release, oldest first. */
export const MTA_STS_MIGRATIONS: readonly Migration<MtaStsTableNames>[] = [
  { version: 1, description: 'MTA-STS policies by domain', sql: V1 },
];

/** The schema version of the MTA-STS policy cache this release writes. */
export const MTA_STS_SCHEMA_VERSION = MTA_STS_MIGRATIONS.length;
