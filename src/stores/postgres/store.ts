import { ForcedTlsError } from '../../errors/index.js';
import {
  canonicalEntry,
  checkStoredEntry,
  type WhitelistAuditQuery,
  type WhitelistAuditRecord,
  type WhitelistEntry,
  type WhitelistStore,
  type WhitelistWriteContext,
} from '../../whitelist/index.js';
import { readAudit } from './audit.js';
import { remaining, within } from './deadline.js';
import { Listener } from './listener.js';
import { createPool } from './load-pg.js';
import { type MigrationResult, migrate, requireSchema } from './migrate.js';
import { Mirror } from './mirror.js';
import type { TableNames } from './names.js';
import {
  type PostgresStoreEvent,
  type PostgresWhitelistStoreOptions,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
import type { PgPoolClientLike, PgPoolLike } from './pg-types.js';
import { readChanges } from './read.js';
import { asStoreFailure, describeCause, storeFailure } from './store-failure.js';
import { SyncQueue } from './sync-queue.js';
import { transaction, withClient } from './with-client.js';
import { type WriteResult, writeAdd, writeRemove } from './write.js';

/** What `status()` reports: for health checks and logs. */
export interface PostgresStoreStatus {
  /** The database revision the in-memory copy reflects; undefined before the first load. */
  readonly revision: number | undefined;
  /** Entries in the in-memory copy, expired ones included. */
  readonly entries: number;
  /** When the copy was last confirmed current (ISO 8601, from the store's clock). */
  readonly freshAsOf: string | undefined;
  /** True once the copy is older than `maxStalenessMs`: `list()` and `revision()` then fail. */
  readonly stale: boolean;
  /** True while the LISTEN connection is up. */
  readonly listening: boolean;
  /** The most recent connection or read failure, if any. */
  readonly lastError?: string;
}

/**
 * A {@link WhitelistStore} in PostgreSQL, shared by every instance of an app: entries, an audit
 * trail written by a trigger in the same transaction as each change, and LISTEN/NOTIFY so each
 * instance's in-memory copy follows changes made anywhere. `list()` and `revision()` answer from
 * that copy (never waiting for the database once loaded) and fail with `ESTORE` when it has gone
 * unconfirmed for longer than `maxStalenessMs`. Create it with `createPostgresWhitelistStore`.
 */
export class PostgresWhitelistStore implements WhitelistStore {
  /** The schema of the store's tables. */
  readonly schema: string;
  /** The entries table. */
  readonly table: string;
  readonly #o: ResolvedOptions;
  readonly #n: TableNames;
  readonly #mirror = new Mirror();
  readonly #sync: SyncQueue;
  #pool: Promise<PgPoolLike> | undefined;
  #listener: Listener | undefined;
  #started: Promise<void> | undefined;
  #startFailures = 0;
  #loaded = false;
  #freshAt: number | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #lastError: string | undefined;
  #closed = false;
  #token: { readonly value: string; readonly promise: Promise<string> } | undefined;

  /** Use `createPostgresWhitelistStore`; options are checked here (`EPOLICY`). */
  constructor(options: PostgresWhitelistStoreOptions) {
    this.#o = resolveOptions(options);
    this.#n = this.#o.names;
    this.schema = this.#n.schema;
    this.table = this.#n.table;
    this.#sync = new SyncQueue(() => this.#syncOnce());
  }

  /** Every entry, expired ones included, from the in-memory copy. */
  async list(): Promise<readonly WhitelistEntry[]> {
    if (this.#listener === undefined || this.#closed)
      await this.#ready(Date.now() + this.#o.operationTimeoutMs);
    this.#assertFresh();
    return this.#mirror.list();
  }

  /** A token of the in-memory copy's revision; no database round trip once loaded. */
  revision(): Promise<string> {
    // Called for every message sent: once loaded, no await, no timer, and while the revision is
    // unchanged the same settled promise.
    if (this.#listener !== undefined && !this.#closed) {
      try {
        this.#assertFresh();
      } catch (error) {
        return Promise.reject(error);
      }
      const token = this.#mirror.token;
      if (this.#token?.value !== token) this.#token = { value: token, promise: Promise.resolve(token) };
      return this.#token.promise;
    }
    return this.#ready(Date.now() + this.#o.operationTimeoutMs).then(() => this.revision());
  }

  /**
   * Stores or replaces the entry, with its audit row, in one transaction; resolves once committed
   * and (unless the database failed just after the commit) visible in this store's `list()`.
   */
  async add(entry: WhitelistEntry, context?: WhitelistWriteContext): Promise<void> {
    checkStoredEntry(entry);
    const stored = canonicalEntry(entry);
    const deadline = Date.now() + this.#o.operationTimeoutMs;
    await this.#ready(deadline);
    const committed = await this.#run('add', deadline, 'write', (client) =>
      writeAdd(client, this.#n, stored, context),
    );
    await this.#catchUp(committed, [stored], deadline);
  }

  /** Deletes by id with its audit row; `false` (and no audit row) when there was no such entry. */
  async remove(id: string, context?: WhitelistWriteContext): Promise<boolean> {
    const deadline = Date.now() + this.#o.operationTimeoutMs;
    await this.#ready(deadline);
    const committed = await this.#run('remove', deadline, 'write', (client) =>
      writeRemove(client, this.#n, id, context),
    );
    if (committed === undefined) return false;
    await this.#catchUp(committed, [], deadline);
    return true;
  }

  /** The audit trail, read from the database, oldest first. */
  async audit(query: WhitelistAuditQuery): Promise<readonly WhitelistAuditRecord[]> {
    const deadline = Date.now() + this.#o.operationTimeoutMs;
    await this.#ready(deadline);
    return this.#run('read the audit trail', deadline, 'read', (client) => readAudit(client, this.#n, query));
  }

  /**
   * Creates or upgrades the schema now (what `autoMigrate` does on first use): for deploy scripts
   * run with a role that may create tables. Idempotent.
   */
  async migrate(): Promise<MigrationResult> {
    const deadline = Date.now() + this.#o.operationTimeoutMs;
    const pool = await this.#getPool();
    try {
      return await withClient(pool, remaining(deadline), (client) => migrate(client, this.#n));
    } catch (error) {
      throw asStoreFailure(this.#n, 'migrate', error);
    }
  }

  /** Connects, migrates (with `autoMigrate`) and loads the entries, if not done yet. */
  ready(): Promise<void> {
    return this.#ready(Date.now() + this.#o.operationTimeoutMs);
  }

  /** The state of the in-memory copy and the connection. */
  status(): PostgresStoreStatus {
    const fresh = this.#freshAt;
    return {
      revision: this.#loaded ? this.#mirror.revision : undefined,
      entries: this.#mirror.size,
      freshAsOf: fresh === undefined ? undefined : new Date(fresh).toISOString(),
      stale: fresh === undefined || this.#now() - fresh > this.#o.maxStalenessMs,
      listening: this.#listener?.listening ?? false,
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
    };
  }

  /** Stops the heartbeat and LISTEN, and ends the pool if the store created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#heartbeat);
    this.#listener?.close();
    await this.#started?.catch(() => undefined);
    await this.#sync.idle();
    if (this.#o.pool === undefined && this.#pool !== undefined) {
      const pool = await this.#pool.catch(() => undefined);
      await pool?.end().catch(() => undefined);
    }
  }

  #now(): number {
    // Without an injected clock: Date.now(), no Date allocated on the send path.
    if (this.#o.clock === undefined) return Date.now();
    const now = this.#o.clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new ForcedTlsError('EPOLICY', 'createPostgresWhitelistStore: clock returned no valid Date', {
        path: 'clock',
        value: now,
      });
    }
    return now.getTime();
  }

  #emit(event: PostgresStoreEvent): void {
    try {
      this.#o.onEvent?.(event);
    } catch {
      // A failing log hook must not break the store.
    }
  }

  #fail(error: unknown): void {
    this.#lastError = describeCause(error);
  }

  #getPool(): Promise<PgPoolLike> {
    if (this.#o.pool !== undefined) return Promise.resolve(this.#o.pool);
    this.#pool ??= createPool(
      this.#n,
      this.#o.connectionString as string,
      this.#o.maxConnections,
      this.#o.operationTimeoutMs,
      (error) => this.#fail(error),
    );
    const pool = this.#pool;
    pool.catch(() => {
      if (this.#pool === pool) this.#pool = undefined;
    });
    return pool;
  }

  async #ready(deadline: number): Promise<void> {
    if (this.#closed) throw storeFailure(this.#n, 'the store is closed');
    if (this.#listener !== undefined) return;
    if (this.#started === undefined) {
      const started = this.#start();
      this.#started = started;
      started.then(
        () => {
          this.#startFailures = 0;
        },
        (error: unknown) => {
          this.#fail(error);
          // Calls within a short pause fail at once with this error instead of each waiting for
          // a connection; then the next call tries again.
          const pause = Math.min(this.#o.reconnectMaxMs, this.#o.reconnectMinMs * 2 ** this.#startFailures++);
          setTimeout(() => {
            if (this.#started === started) this.#started = undefined;
          }, pause).unref();
        },
      );
    }
    await within(this.#started, deadline, () =>
      storeFailure(this.#n, `not loaded within ${this.#o.operationTimeoutMs} ms`, { transient: true }),
    );
  }

  async #start(): Promise<void> {
    const deadline = Date.now() + this.#o.operationTimeoutMs;
    let listener: Listener | undefined;
    try {
      const pool = await this.#getPool();
      await withClient(pool, remaining(deadline), async (client) => {
        if (this.#o.autoMigrate) await migrate(client, this.#n);
        else await requireSchema(client, this.#n);
      });
      listener = new Listener(
        pool,
        this.#n,
        {
          timeoutMs: this.#o.operationTimeoutMs,
          reconnectMinMs: this.#o.reconnectMinMs,
          reconnectMaxMs: this.#o.reconnectMaxMs,
        },
        {
          notified: (revision) => {
            if (revision > this.#mirror.revision || !this.#loaded)
              this.#sync.request().catch(() => undefined);
          },
          connected: () => {
            this.#emit({ type: 'listening' });
            this.#sync.request().catch(() => undefined);
          },
          lost: (error) => {
            this.#fail(error);
            this.#emit({ type: 'connection-lost', error: describeCause(error) });
          },
        },
      );
      // LISTEN before the first read, so that no change committed after that read goes unnoticed.
      await listener.connect();
      await this.#sync.request();
      if (this.#closed) {
        listener.close();
        return;
      }
      this.#listener = listener;
      this.#emit({ type: 'listening' });
      this.#beat();
    } catch (error) {
      listener?.close();
      throw asStoreFailure(this.#n, 'connecting and loading the entries', error);
    }
  }

  async #syncOnce(): Promise<void> {
    const startedAt = this.#now();
    const pool = await this.#getPool();
    const since = this.#loaded ? this.#mirror.revision : undefined;
    try {
      const result = await withClient(pool, this.#o.operationTimeoutMs, (client) =>
        transaction(client, 'read', this.#o.operationTimeoutMs, () => readChanges(client, this.#n, since)),
      );
      if (result.kind === 'full') {
        this.#mirror.reload(result.entries, result.revision, !this.#loaded);
        this.#loaded = true;
      } else if (result.revision !== this.#mirror.revision) {
        this.#mirror.apply(result.changed, result.entries, result.revision);
      }
      // The read's snapshot was taken after `startedAt`, so the copy is at least that current.
      this.#freshAt = Math.max(this.#freshAt ?? startedAt, startedAt);
      this.#emit({
        type: 'synced',
        revision: result.revision,
        full: result.kind === 'full',
        entries: this.#mirror.size,
      });
    } catch (error) {
      this.#fail(error);
      this.#emit({ type: 'sync-failed', error: describeCause(error) });
      throw asStoreFailure(this.#n, 'reading the changes', error);
    }
  }

  // The heartbeat: on the LISTEN connection when it is up (an unchanged revision confirms the
  // copy), otherwise a read of the changes through the pool (polling while notifications cannot
  // arrive).
  #beat(): void {
    if (this.#closed) return;
    this.#heartbeat = setTimeout(async () => {
      try {
        const sentAt = this.#now();
        const listener = this.#listener;
        if (listener?.listening) {
          const revision = await listener.ping();
          if (revision === this.#mirror.revision) this.#freshAt = Math.max(this.#freshAt ?? sentAt, sentAt);
          else await this.#sync.request();
        } else {
          await this.#sync.request();
        }
      } catch (error) {
        this.#fail(error);
      }
      this.#beat();
    }, this.#o.heartbeatMs);
    this.#heartbeat.unref();
  }

  #assertFresh(): void {
    const fresh = this.#freshAt;
    const age = fresh === undefined ? Number.POSITIVE_INFINITY : this.#now() - fresh;
    if (age <= this.#o.maxStalenessMs) return;
    const why = this.#lastError === undefined ? '' : ` (last error: ${this.#lastError})`;
    throw storeFailure(
      this.#n,
      `the in-memory copy was last confirmed current ${Math.round(age)} ms ago, more than maxStalenessMs (${this.#o.maxStalenessMs}); the database cannot be reached${why}`,
      { transient: true },
    );
  }

  async #run<T>(
    doing: string,
    deadline: number,
    mode: 'read' | 'write',
    body: (client: PgPoolClientLike) => Promise<T>,
  ): Promise<T> {
    try {
      const pool = await this.#getPool();
      const left = remaining(deadline);
      return await withClient(pool, left, (client) => transaction(client, mode, left, () => body(client)));
    } catch (error) {
      throw asStoreFailure(this.#n, doing, error);
    }
  }

  // After a commit: bring the copy up to it, so this store's own list() shows the change. When
  // nothing else was committed in between (the copy is exactly this write's changes behind), the
  // write is applied as written, without reading; otherwise the changes are read. The change is
  // durable already; if the database fails right now, the heartbeat catches up later.
  async #catchUp(committed: WriteResult, rows: readonly WhitelistEntry[], deadline: number): Promise<void> {
    await this.#sync.idle();
    if (this.#loaded && this.#mirror.revision + committed.audited === committed.revision) {
      this.#mirror.apply(committed.changed, rows, committed.revision);
      return;
    }
    for (let tries = 0; tries < 2 && this.#mirror.revision < committed.revision; tries++) {
      const ok = await within(this.#sync.request(), deadline, () => new Error('deadline')).then(
        () => true,
        () => false,
      );
      if (!ok) return;
    }
  }
}
