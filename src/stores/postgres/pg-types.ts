/**
 * The parts of a `pg` pool and pooled client the store uses, written out here so that the public
 * types do not depend on `@types/pg`: a `pg.Pool` satisfies {@link PgPoolLike} as it is.
 */

/** A query result: rows and, for data-changing statements, how many rows were affected. */
export interface PgResultLike<R> {
  /** The rows returned, one object per row keyed by column name. */
  readonly rows: R[];
  /** Rows affected (or returned) by the statement; null where `pg` reports no count. */
  readonly rowCount: number | null;
}

/** A LISTEN notification as `pg` delivers it. */
export interface PgNotificationLike {
  /** The channel notified; the whitelist store listens on `forced_tls_whitelist` (`POSTGRES_NOTIFY_CHANNEL`). */
  readonly channel: string;
  /** The text sent with `NOTIFY`; the whitelist store's is `<schema>.<table>:<revision>`. */
  readonly payload?: string | undefined;
}

/** A client checked out of the pool (`pg.PoolClient`). */
export interface PgPoolClientLike {
  /** Runs one statement, `$1`, `$2` … bound to `values`; rejects with the server's error. */
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed per query by the store
  query(text: string, values?: unknown[]): Promise<PgResultLike<any>>;
  /** Returns the client; with an error, the pool closes the connection instead of reusing it. */
  release(error?: Error | boolean): void;
  /** Listens for `NOTIFY` messages on the channels this client LISTENs to. */
  on(event: 'notification', listener: (message: PgNotificationLike) => void): unknown;
  /** Listens for errors of the connection (the server closed it, the network failed). */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Listens for the end of the connection. */
  on(event: 'end', listener: () => void): unknown;
  /** Removes an `error` listener added with `on`. */
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection pool (`pg.Pool`). */
export interface PgPoolLike {
  /** Checks a client out of the pool; the caller returns it with `release()`. */
  connect(): Promise<PgPoolClientLike>;
  /** Closes every connection of the pool; the store calls it only for a pool it created. */
  end(): Promise<void>;
}
