import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/transport/session/session.js';
import { SessionPool } from '../../src/transport/session/session-pool.js';
import type { SessionSpec } from '../../src/transport/session/session-spec.js';

// The pool's scheduling with an opener that makes bare session objects (no network): which waiting
// caller gets a slot that came free. The pool with real servers: pool-reuse.test.ts.

function fakeSession(key: string): Session {
  const closers: (() => void)[] = [];
  const session = {
    key,
    transactions: 0,
    open: true,
    onClose: (fn: () => void) => closers.push(fn),
    close: () => {
      if (!session.open) return;
      session.open = false;
      for (const fn of closers) fn();
    },
  };
  return session as unknown as Session;
}

const spec = (key: string) => ({ key }) as SessionSpec;

describe('SessionPool', () => {
  it('a slot that came free goes to a caller that can use it, not to one whose key is at its limit', async () => {
    const opened: string[] = [];
    const pool = new SessionPool(
      { maxConnections: 2, maxMessages: 100, idleTimeout: 60_000, maxPerKey: 1 },
      () => {},
      async (s) => {
        opened.push(s.key);
        return fakeSession(s.key);
      },
    );
    const a = await pool.acquire(spec('a'));
    const b = await pool.acquire(spec('b'));
    // 'a' is at its own limit, 'c' waits for a global slot; 'a' queued first.
    let secondA: Session | undefined;
    let c: Session | undefined;
    void pool.acquire(spec('a')).then((s) => {
      secondA = s;
    });
    void pool.acquire(spec('c')).then((s) => {
      c = s;
    });
    await new Promise((resolve) => setImmediate(resolve));
    // b comes back idle (nobody waits for 'b'): 'c' may close it and open its own, at once, without
    // waiting for b's idle timer (60 s).
    pool.release(b, true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(c?.key).toBe('c');
    expect(opened).toEqual(['a', 'b', 'c']);
    expect(secondA).toBeUndefined();
    // a's release hands its session to the waiting 'a' caller.
    pool.release(a, true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondA).toBe(a);
    pool.close();
  });
});
