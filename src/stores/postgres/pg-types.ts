/**
 * The parts of a `pg` pool and pooled client the store uses, written out here so that the public
 * types do not depend on `@types/pg`: a `pg.Pool` satisfies {@link PgPoolLike} as it is.
 */

/** A query result: rows and, for data-changing statements, how many rows were affected. */
export interface PgResultLike<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

/** A LISTEN notification as `pg` delivers it. */
export interface PgNotificationLike {
  readonly channel: string;
  readonly payload?: string | undefined;
}

/** A client checked out of the pool (`pg.PoolClient`). */
export interface PgPoolClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed per query by the store
  query(text: string, values?: unknown[]): Promise<PgResultLike<any>>;
  /** Returns the client; with an error, the pool closes the connection instead of reusing it. */
  release(error?: Error | boolean): void;
  on(event: 'notification', listener: (message: PgNotificationLike) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection pool (`pg.Pool`). */
export interface PgPoolLike {
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
}
