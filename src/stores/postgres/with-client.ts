import type { PgPoolClientLike, PgPoolLike } from './pg-types.js';

/** Thrown when an operation's deadline passed; the connection it used has been closed. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  readonly code = 'ETIMEOUT';
}

/**
 * Runs `use` with a client from the pool, the whole of it (waiting for a connection included)
 * bounded by `timeoutMs` counted from the call. When the deadline passes, the call rejects with
 * {@link DeadlineError} at once and the client is closed rather than returned to the pool, which
 * also ends its transaction on the server. A client on which something failed is closed as well,
 * since its state (an open transaction, a broken socket) is not known.
 */
export async function withClient<T>(
  pool: PgPoolLike,
  timeoutMs: number,
  use: (client: PgPoolClientLike) => Promise<T>,
): Promise<T> {
  let expired = false;
  let held: PgPoolClientLike | undefined;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      // The error listener stays: the closed connection may still report its end.
      held?.release(new Error('deadline passed'));
      held = undefined;
      reject(new DeadlineError(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const work = (async () => {
    const client = await pool.connect();
    if (expired) {
      client.release();
      throw new DeadlineError(`no connection within ${timeoutMs} ms`);
    }
    held = client;
    // While checked out, a pooled client's connection errors are emitted on the client itself (the
    // pool listens only while it is idle); unheard, they would crash the process. The failing
    // query rejects as well, and that is what the caller sees.
    const ignore = () => undefined;
    client.on('error', ignore);
    const done = (error?: Error) => {
      client.removeListener('error', ignore);
      held?.release(error);
      held = undefined;
    };
    try {
      const result = await use(client);
      done();
      return result;
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  })();
  // Whichever loses the race must not become an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `body` in a transaction on `client`: `BEGIN` (read-only repeatable read for `read`, so all
 * its queries see one snapshot), a server-side `statement_timeout`, `COMMIT`; `ROLLBACK` on error.
 */
export async function transaction<T>(
  client: PgPoolClientLike,
  mode: 'read' | 'write',
  timeoutMs: number,
  body: () => Promise<T>,
): Promise<T> {
  const begin = mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN';
  await client.query(`${begin}; SET LOCAL statement_timeout = ${Math.max(1, Math.ceil(timeoutMs))}`);
  try {
    const result = await body();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
