import type { MtaStsCacheEntry, MtaStsCacheStore } from '../../mta-sts/index.js';
import { remaining, within } from './deadline.js';
import { createPool } from './load-pg.js';
import { type MigrationResult, migrateStore, requireStoreSchema } from './migrate.js';
import type { MtaStsTableNames } from './mta-sts-names.js';
import {
  type PostgresMtaStsCacheStoreOptions,
  type ResolvedMtaStsOptions,
  resolveMtaStsOptions,
} from './mta-sts-options.js';
import { entryFromRow, type PolicyRow, policyParams, storableEntry } from './mta-sts-rows.js';
import { MTA_STS_MIGRATIONS, POLICY_COLUMNS } from './mta-sts-schema-sql.js';
import type { PgPoolClientLike, PgPoolLike } from './pg-types.js';
import { asStoreFailure, storeFailure } from './store-failure.js';
import { DeadlineError, transaction, withClient } from './with-client.js';

/**
 * An {@link MtaStsCacheStore} in PostgreSQL, one table shared by every instance of an app: a policy
 * one instance fetched is applied by the others without a fetch of their own. There is no
 * in-memory copy: `get` and `list` are one query each, `set` (a single-row upsert) and `delete` one
 * statement in a transaction with a server-side statement timeout, committed and durable once they
 * resolve; every call has a deadline counted from the call. A database that cannot be reached fails
 * the call with a transient `ESTORE`, and the resolver then rejects instead of delivering as though
 * no policy were cached. Create it with `createPostgresMtaStsCacheStore`.
 *
 * @example
 * ```ts
 * const store = createPostgresMtaStsCacheStore({ pool }); // the app's pg.Pool, never ended by the store
 * await store.ready();
 * const mtaSts = createMtaStsResolver({ store });
 * (await store.list()).filter((e) => e.policy.mode === 'enforce'); // what every instance applies
 * ```
 */
export class PostgresMtaStsCacheStore implements MtaStsCacheStore {
  /** The schema of the store's tables. */
  readonly schema: string;
  /** The policies table. */
  readonly table: string;
  readonly #o: ResolvedMtaStsOptions;
  readonly #n: MtaStsTableNames;
  readonly #running = new Set<Promise<unknown>>();
  #pool: Promise<PgPoolLike> | undefined;
  #prepared: Promise<void> | undefined;
  #ready = false;
  #closed = false;

  /** Use `createPostgresMtaStsCacheStore`; options are checked here (`EPOLICY`). */
  constructor(options: PostgresMtaStsCacheStoreOptions) {
    this.#o = resolveMtaStsOptions(options);
    this.#n = this.#o.names;
    this.schema = this.#n.schema;
    this.table = this.#n.table;
  }

  /** The entry of exactly `domain`, expired ones too, read from the table. */
  async get(domain: string): Promise<MtaStsCacheEntry | undefined> {
    const key = this.#domain(domain);
    return this.#run(`get(${key})`, async (client) => {
      const { rows } = await client.query(
        `SELECT ${POLICY_COLUMNS} FROM ${this.#n.policies} WHERE domain = $1`,
        [key],
      );
      const row = rows[0] as PolicyRow | undefined;
      return row === undefined ? undefined : entryFromRow(this.#n, row);
    });
  }

  /** Stores or replaces the entry of its domain in one statement; durable once it resolves. */
  async set(entry: MtaStsCacheEntry): Promise<void> {
    const stored = storableEntry(this.#n, entry);
    await this.#write(`set(${stored.domain})`, (client) =>
      client.query(
        `INSERT INTO ${this.#n.policies}
           (domain, policy_id, mode, max_age, mx, lines, fetched_at, checked_at, expires_at)
         VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7::timestamptz, $8::timestamptz, $9::timestamptz)
         ON CONFLICT (domain) DO UPDATE SET policy_id = EXCLUDED.policy_id, mode = EXCLUDED.mode,
           max_age = EXCLUDED.max_age, mx = EXCLUDED.mx, lines = EXCLUDED.lines,
           fetched_at = EXCLUDED.fetched_at, checked_at = EXCLUDED.checked_at,
           expires_at = EXCLUDED.expires_at, updated_at = now()`,
        policyParams(stored),
      ),
    );
  }

  /** Removes the entry of `domain`; resolves `true` if there was one. */
  async delete(domain: string): Promise<boolean> {
    const key = this.#domain(domain);
    return this.#write(`delete(${key})`, async (client) => {
      const { rowCount } = await client.query(`DELETE FROM ${this.#n.policies} WHERE domain = $1`, [key]);
      return (rowCount ?? 0) > 0;
    });
  }

  /** Every entry, sorted by domain. */
  async list(): Promise<readonly MtaStsCacheEntry[]> {
    return this.#run('list', async (client) => {
      const { rows } = await client.query(
        `SELECT ${POLICY_COLUMNS} FROM ${this.#n.policies} ORDER BY domain COLLATE "C"`,
      );
      return (rows as PolicyRow[]).map((row) => entryFromRow(this.#n, row));
    });
  }

  /**
   * Creates or upgrades the schema now (what `autoMigrate` does on first use): for deploy scripts
   * run with a role that may create tables. Idempotent.
   */
  async migrate(): Promise<MigrationResult> {
    const result = await this.#run('migrate', (client) => migrateStore(client, this.#n, MTA_STS_MIGRATIONS), {
      prepare: false,
    });
    this.#ready = true;
    return result;
  }

  /** Connects and migrates (with `autoMigrate`) or checks the schema version, if not done yet. */
  async ready(): Promise<void> {
    await this.#run('connect', async () => undefined);
  }

  /** Waits for running calls, then ends the pool if the store created it. Later calls fail with `ESTORE`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#running]);
    if (this.#o.pool === undefined && this.#pool !== undefined) {
      const pool = await this.#pool.catch(() => undefined);
      await pool?.end().catch(() => undefined);
    }
  }

  #domain(domain: unknown): string {
    if (typeof domain !== 'string') {
      throw storeFailure(this.#n, 'the domain must be a string', { path: 'domain' });
    }
    return domain;
  }

  #getPool(): Promise<PgPoolLike> {
    if (this.#o.pool !== undefined) return Promise.resolve(this.#o.pool);
    // Idle connections the server closed are replaced by pg on the next checkout; the call that
    // needs one reports the failure, so nothing is recorded here.
    this.#pool ??= createPool(
      this.#n,
      this.#o.connectionString as string,
      this.#o.maxConnections,
      this.#o.operationTimeoutMs,
      () => undefined,
    );
    const pool = this.#pool;
    pool.catch(() => {
      if (this.#pool === pool) this.#pool = undefined;
    });
    return pool;
  }

  // The schema is migrated (or its version checked) once per store, shared by concurrent first
  // calls. A failure is not remembered: a call that joined an attempt another call started, which
  // then failed (at that call's deadline, say), starts its own within its own deadline.
  async #prepare(pool: PgPoolLike, deadline: number): Promise<void> {
    while (!this.#ready) {
      const joined = this.#prepared !== undefined;
      const prepared = this.#prepared ?? this.#startPrepare(pool, deadline);
      try {
        await within(
          prepared,
          deadline,
          () => new DeadlineError(`not connected within ${this.#o.operationTimeoutMs} ms`),
        );
      } catch (error) {
        if (!joined || Date.now() >= deadline) throw error;
      }
    }
  }

  #startPrepare(pool: PgPoolLike, deadline: number): Promise<void> {
    const prepared = withClient(pool, remaining(deadline), (client) =>
      this.#o.autoMigrate
        ? migrateStore(client, this.#n, MTA_STS_MIGRATIONS).then(() => undefined)
        : requireStoreSchema(client, this.#n, MTA_STS_MIGRATIONS),
    ).then(() => {
      this.#ready = true;
    });
    this.#prepared = prepared;
    // Registered before any caller awaits it, so the failed attempt is gone when they resume.
    prepared.catch(() => {
      if (this.#prepared === prepared) this.#prepared = undefined;
    });
    return prepared;
  }

  // A write runs in a transaction whose statement_timeout is the call's remaining time, so a write
  // held up (by a lock, say) is cancelled by the server when its call fails, instead of committing
  // long afterwards over what others wrote meanwhile.
  #write<T>(doing: string, body: (client: PgPoolClientLike) => Promise<T>): Promise<T> {
    return this.#run(doing, (client, deadline) =>
      transaction(client, 'write', remaining(deadline), () => body(client)),
    );
  }

  async #run<T>(
    doing: string,
    body: (client: PgPoolClientLike, deadline: number) => Promise<T>,
    { prepare = true }: { readonly prepare?: boolean } = {},
  ): Promise<T> {
    if (this.#closed) throw storeFailure(this.#n, 'the store is closed');
    const deadline = Date.now() + this.#o.operationTimeoutMs;
    const work = (async () => {
      try {
        const pool = await this.#getPool();
        if (prepare && !this.#ready) await this.#prepare(pool, deadline);
        return await withClient(pool, remaining(deadline), (client) => body(client, deadline));
      } catch (error) {
        throw asStoreFailure(this.#n, doing, error);
      }
    })();
    this.#running.add(work);
    void work.then(
      () => this.#running.delete(work),
      () => this.#running.delete(work),
    );
    return work;
  }
}
