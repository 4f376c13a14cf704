import { CHANNEL, type TableNames } from './names.js';
import type { PgNotificationLike, PgPoolClientLike, PgPoolLike } from './pg-types.js';
import { DeadlineError } from './with-client.js';

/** What the listener tells its store. */
export interface ListenerHooks {
  /** A change to this table committed at `revision`. */
  notified(revision: number): void;
  /** LISTEN is in place (again): changes made while it was not were not notified. */
  connected(): void;
  /** The connection failed or was closed; a reconnect is scheduled. */
  lost(error: Error): void;
}

/** Timing of the {@link Listener}. */
export interface ListenerTiming {
  /** Deadline of connecting and of each heartbeat query. */
  readonly timeoutMs: number;
  /** First pause before reconnecting; doubles with every failed attempt. */
  readonly reconnectMinMs: number;
  /** Longest pause between attempts. */
  readonly reconnectMaxMs: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what}: no answer within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/**
 * One connection taken from the pool for `LISTEN`, which also carries the heartbeat. A lost
 * connection (an error, the server closing it, a heartbeat without answer) is closed and replaced
 * with exponential backoff plus jitter; after every (re)connect the store re-reads, since
 * notifications sent meanwhile are gone.
 */
export class Listener {
  readonly #pool: PgPoolLike;
  readonly #names: TableNames;
  readonly #timing: ListenerTiming;
  readonly #hooks: ListenerHooks;
  #client: PgPoolClientLike | undefined;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(pool: PgPoolLike, names: TableNames, timing: ListenerTiming, hooks: ListenerHooks) {
    this.#pool = pool;
    this.#names = names;
    this.#timing = timing;
    this.#hooks = hooks;
  }

  /** True while LISTEN is in place. */
  get listening(): boolean {
    return this.#client !== undefined;
  }

  /** Connects and LISTENs once; rejects (without retrying) when that fails. */
  async connect(): Promise<void> {
    const pending = this.#pool.connect();
    const client = await withTimeout(pending, this.#timing.timeoutMs, 'connect').catch((error: unknown) => {
      // A connection that arrives after the deadline is closed, not leaked.
      pending.then(
        (late) => late.release(true),
        () => undefined,
      );
      throw error;
    });
    if (this.#closed) {
      client.release();
      return;
    }
    let dropped = false;
    const drop = (error: Error) => {
      if (dropped) return;
      dropped = true;
      this.#drop(client, error);
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('the connection was closed')));
    client.on('notification', (message) => this.#notification(message));
    try {
      await withTimeout(client.query(`LISTEN ${CHANNEL}`), this.#timing.timeoutMs, 'LISTEN');
    } catch (error) {
      dropped = true;
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    this.#client = client;
    this.#failures = 0;
  }

  /**
   * The current revision, asked on the LISTEN connection (so a silently dead connection is noticed
   * within the deadline). Rejects when not listening or when the query fails; a failure also drops
   * the connection and schedules a reconnect.
   */
  async ping(): Promise<number> {
    const client = this.#client;
    if (client === undefined) throw new Error('not listening');
    try {
      const { rows } = await withTimeout(
        client.query(`SELECT revision::text AS revision FROM ${this.#names.state}`),
        this.#timing.timeoutMs,
        'heartbeat',
      );
      return Number(rows[0]?.revision ?? 0);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#drop(client, failure);
      throw failure;
    }
  }

  /** Stops listening for good and returns the connection. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    client?.release(true);
  }

  #notification(message: PgNotificationLike): void {
    const prefix = `${this.#names.label}:`;
    if (message.channel !== CHANNEL || !message.payload?.startsWith(prefix)) return;
    const revision = Number(message.payload.slice(prefix.length));
    if (Number.isSafeInteger(revision)) this.#hooks.notified(revision);
  }

  #drop(client: PgPoolClientLike, error: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    // With an error the pool closes the connection instead of handing it out again.
    client.release(error);
    if (this.#closed) return;
    this.#hooks.lost(error);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#retry !== undefined) return;
    const base = Math.min(this.#timing.reconnectMaxMs, this.#timing.reconnectMinMs * 2 ** this.#failures);
    const pause = base / 2 + Math.random() * (base / 2);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.connect().then(
        () => {
          if (!this.#closed) this.#hooks.connected();
        },
        () => {
          this.#failures++;
          this.#schedule();
        },
      );
    }, pause);
    this.#retry.unref();
  }
}
