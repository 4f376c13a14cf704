import { openSession } from './open-session.js';
import type { Session } from './session.js';
import type { SessionSpec } from './session-spec.js';

/** Limits of a {@link SessionPool}. */
export interface PoolLimits {
  /** Open connections across all hosts. */
  readonly maxConnections: number;
  /** Transactions per connection before it is closed and replaced. */
  readonly maxMessages: number;
  /** Milliseconds an unused connection stays open. 0 closes it right after use. */
  readonly idleTimeout: number;
  /**
   * Open connections per key (one host and requirement): a burst of messages to one destination
   * then waits for its sessions instead of taking every slot. @default no limit but `maxConnections`
   */
  readonly maxPerKey?: number;
}

type Opener = (spec: SessionSpec) => Promise<Session>;

/** A caller waiting for a session: woken to try again, or handed a session of its key directly. */
interface Waiter {
  readonly key: string;
  readonly wake: (handed?: Session) => void;
}

/**
 * Keeps checked sessions per key (host + port + TLS requirement) for reuse, under one global limit
 * on open connections. A session is only ever reused for the same key, so a session opened for
 * `encrypt` never carries a `verify` recipient. A released session goes straight to a caller waiting
 * for the same key; only when none waits may another key's caller close it to open its own — without
 * that hand-off, callers for other destinations closed every session that came free and opened a new
 * one, and pooling under load reused almost nothing.
 */
export class SessionPool {
  readonly #limits: PoolLimits;
  readonly #open: Opener;
  readonly #idle = new Map<string, Session[]>();
  readonly #timers = new Map<Session, NodeJS.Timeout>();
  readonly #waiters: Waiter[] = [];
  readonly #onIdle: () => void;
  #count = 0;
  #busy = 0;
  readonly #perKey = new Map<string, number>();
  #closed = false;

  constructor(limits: PoolLimits, onIdle: () => void = () => {}, open: Opener = openSession) {
    this.#limits = limits;
    this.#onIdle = onIdle;
    this.#open = open;
  }

  /** True when a message could start right away. */
  isIdle(): boolean {
    return this.#busy < this.#limits.maxConnections;
  }

  /** A ready session for `spec.key`: an idle one, or a new one once a connection slot is free. */
  async acquire(spec: SessionSpec): Promise<Session> {
    for (;;) {
      const idle = this.#takeIdle(spec.key);
      if (idle) return this.#use(idle);
      const own = this.#perKey.get(spec.key) ?? 0;
      // A key at its own limit waits for one of its sessions (handed over when it is released).
      const keyFull = own > 0 && own >= (this.#limits.maxPerKey ?? Number.POSITIVE_INFINITY);
      if (!keyFull && this.#count >= this.#limits.maxConnections) this.#evictOneIdle();
      if (!keyFull && this.#count < this.#limits.maxConnections) break;
      const handed = await new Promise<Session | undefined>((wake) =>
        this.#waiters.push({ key: spec.key, wake }),
      );
      // Handed over still busy: it is ours without a new connection.
      if (handed !== undefined) return handed;
    }
    this.#count++;
    this.#busy++;
    this.#countKey(spec.key, 1);
    let session: Session;
    try {
      session = await this.#open(spec);
    } catch (error) {
      this.#count--;
      this.#busy--;
      this.#countKey(spec.key, -1);
      this.#wake();
      throw error;
    }
    session.onClose(() => this.#forget(session));
    return session;
  }

  /** Returns a session after use; `reusable: false` closes it. */
  release(session: Session, reusable: boolean): void {
    this.#busy--;
    const limit = session.transactions >= this.#limits.maxMessages;
    if (!reusable || limit || !session.open || this.#closed || this.#limits.idleTimeout <= 0) {
      session.close();
    } else if (this.#handOver(session)) {
      return;
    } else {
      const list = this.#idle.get(session.key) ?? [];
      list.push(session);
      this.#idle.set(session.key, list);
      const timer = setTimeout(() => session.close(), this.#limits.idleTimeout);
      timer.unref();
      this.#timers.set(session, timer);
    }
    this.#wake();
    if (!this.isIdle()) return;
    try {
      this.#onIdle();
    } catch {
      // An `idle` listener's failure must not turn a delivered transaction into a failed one.
    }
  }

  /** Closes every idle session; busy ones close when released. */
  close(): void {
    this.#closed = true;
    for (const list of [...this.#idle.values()]) for (const session of [...list]) session.close();
  }

  #use(session: Session): Session {
    clearTimeout(this.#timers.get(session));
    this.#timers.delete(session);
    this.#busy++;
    return session;
  }

  #takeIdle(key: string): Session | undefined {
    const list = this.#idle.get(key);
    while (list && list.length > 0) {
      const session = list.pop()!;
      if (session.open) return session;
    }
    return undefined;
  }

  #evictOneIdle(): void {
    for (const list of this.#idle.values()) {
      const session = list[0];
      if (session) {
        session.close();
        return;
      }
    }
  }

  #forget(session: Session): void {
    clearTimeout(this.#timers.get(session));
    this.#timers.delete(session);
    const list = this.#idle.get(session.key);
    const at = list?.indexOf(session) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    if (list?.length === 0) this.#idle.delete(session.key);
    this.#count--;
    this.#countKey(session.key, -1);
    this.#wake();
  }

  #countKey(key: string, delta: number): void {
    const n = (this.#perKey.get(key) ?? 0) + delta;
    if (n > 0) this.#perKey.set(key, n);
    else this.#perKey.delete(key);
  }

  /** Gives a reusable session to the oldest caller waiting for its key; false when none waits. */
  #handOver(session: Session): boolean {
    const at = this.#waiters.findIndex((w) => w.key === session.key);
    if (at < 0) return false;
    const [waiter] = this.#waiters.splice(at, 1);
    this.#busy++;
    waiter!.wake(session);
    return true;
  }

  // Wakes the oldest caller that can make progress now: one whose key is below its own limit (it may
  // open, or evict an idle session of another key). A caller whose key is full waits for a hand-off
  // or for one of its own sessions to close; waking it instead would let a slot that came free go
  // unused until some idle timer fired.
  #wake(): void {
    const limit = this.#limits.maxPerKey ?? Number.POSITIVE_INFINITY;
    const at = this.#waiters.findIndex((w) => (this.#perKey.get(w.key) ?? 0) < limit);
    if (at >= 0) this.#waiters.splice(at, 1)[0]!.wake();
  }
}
