import { CHANNEL, type StoreNames, type TableNames } from './names.js';

/** One schema migration: applied once, in order, recorded in `<table>_migrations`. */
export interface Migration<N extends StoreNames = TableNames> {
  readonly version: number;
  readonly description: string;
  readonly sql: (n: N) => string;
}

/**
 * A `timestamptz` column as text in exactly the form `Date.prototype.toISOString()` writes, whatever
 * the session's TimeZone or the client's type parsers.
 */
export const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of an entry row, selected in the shape of a `WhitelistEntry`. */
export const ENTRY_COLUMNS = `id, direction, scope, value, reason, approved_by, consent_ref,
  ${iso('created_at')} AS created_at, ${iso('expires_at')} AS expires_at`;

const V1 = (n: TableNames) => `
CREATE TABLE ${n.entries} (
  id text PRIMARY KEY CHECK (id <> ''),
  direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  scope text NOT NULL CHECK (scope IN ('domain', 'subdomains', 'address')),
  value text NOT NULL CHECK (value <> '' AND (scope = 'address') = (strpos(value, '@') > 0)),
  reason text NOT NULL CHECK (btrim(reason) <> ''),
  approved_by text NOT NULL CHECK (btrim(approved_by) <> ''),
  consent_ref text CHECK (btrim(consent_ref) <> ''),
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  CONSTRAINT ${n.bare('key')} UNIQUE (direction, scope, value)
);

CREATE TABLE ${n.state} (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  revision bigint NOT NULL CHECK (revision >= 0)
);
INSERT INTO ${n.state} (singleton, revision) VALUES (true, 0);

CREATE TABLE ${n.audit} (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  action text NOT NULL CHECK (action IN ('add', 'replace', 'remove')),
  entry_id text NOT NULL,
  entry jsonb NOT NULL,
  previous jsonb,
  actor text NOT NULL CHECK (btrim(actor) <> ''),
  db_user text NOT NULL DEFAULT session_user,
  CHECK ((action = 'replace') = (previous IS NOT NULL))
);
CREATE INDEX ${n.bare('audit_at')} ON ${n.audit} (at);
CREATE INDEX ${n.bare('audit_entry_id')} ON ${n.audit} (entry_id);

CREATE FUNCTION ${n.object('entry_json')}(e ${n.entries}) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'id', e.id, 'direction', e.direction, 'scope', e.scope, 'value', e.value,
    'reason', e.reason, 'approvedBy', e.approved_by, 'consentRef', e.consent_ref,
    'createdAt', ${iso('e.created_at')}, 'expiresAt', ${iso('e.expires_at')}))
$fn$;

-- Every change to the entries, however it is made (the store, psql, a migration script), bumps the
-- revision and writes its audit row in the same transaction, and notifies on commit. The revision
-- row stays locked until commit, so changes are numbered in commit order without gaps.
-- SECURITY DEFINER: the application's role needs no write access to the audit trail itself.
CREATE FUNCTION ${n.object('changed')}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  rev bigint;
  who text := nullif(btrim(current_setting('forced_tls.actor', true)), '');
  happened timestamptz := coalesce(nullif(current_setting('forced_tls.at', true), '')::timestamptz, now());
BEGIN
  UPDATE ${n.state} SET revision = revision + 1 RETURNING revision INTO rev;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ${n.audit} (seq, at, action, entry_id, entry, previous, actor)
    VALUES (rev, happened, 'add', NEW.id, ${n.object('entry_json')}(NEW), NULL, coalesce(who, NEW.approved_by));
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO ${n.audit} (seq, at, action, entry_id, entry, previous, actor)
    VALUES (rev, happened, 'replace', NEW.id, ${n.object('entry_json')}(NEW), ${n.object('entry_json')}(OLD),
      coalesce(who, NEW.approved_by));
  ELSE
    INSERT INTO ${n.audit} (seq, at, action, entry_id, entry, previous, actor)
    VALUES (rev, happened, 'remove', OLD.id, ${n.object('entry_json')}(OLD), NULL, coalesce(who, session_user));
  END IF;
  PERFORM pg_notify('${CHANNEL}', '${n.label}:' || rev);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER ${n.bare('changed')} AFTER INSERT OR UPDATE OR DELETE ON ${n.entries}
  FOR EACH ROW EXECUTE FUNCTION ${n.object('changed')}();

CREATE FUNCTION ${n.object('refuse')}() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER ${n.bare('audit_append_only')} BEFORE UPDATE OR DELETE ON ${n.audit}
  FOR EACH ROW EXECUTE FUNCTION ${n.object('refuse')}('the whitelist audit trail is append-only');
CREATE TRIGGER ${n.bare('audit_no_truncate')} BEFORE TRUNCATE ON ${n.audit}
  FOR EACH STATEMENT EXECUTE FUNCTION ${n.object('refuse')}('the whitelist audit trail is append-only');
CREATE TRIGGER ${n.bare('no_truncate')} BEFORE TRUNCATE ON ${n.entries}
  FOR EACH STATEMENT EXECUTE FUNCTION ${n.object('refuse')}('remove whitelist entries with DELETE, so that each removal is audited');
`;

/** Every migration of this release, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'entries, audit trail, revision, change trigger', sql: V1 },
];

/** The schema version this release writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
