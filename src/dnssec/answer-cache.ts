import { LRUCache } from 'lru-cache';
import type { Clock } from '../whitelist/index.js';
import type { DnssecAnswer } from './types.js';

interface Entry {
  readonly answer: DnssecAnswer<unknown>;
  /** Milliseconds since the epoch, from the clock. */
  readonly expiresAt: number;
}

/**
 * Answers kept for their TTL (capped at `maxTtl` seconds), at most `max` of them (least recently used
 * dropped first). Only `secure` and `insecure` answers with a TTL above 0 are kept: a failure is
 * asked again next time. Time comes from the injected clock, so tests never sleep.
 */
export class AnswerCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #clock: Clock;
  readonly #maxTtl: number;

  constructor(max: number, maxTtl: number, clock: Clock) {
    this.#entries = new LRUCache({ max });
    this.#clock = clock;
    this.#maxTtl = maxTtl;
  }

  /** The cached answer for `key` with `cached: true` and the TTL left, or undefined. */
  get<T>(key: string): DnssecAnswer<T> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const left = Math.floor((entry.expiresAt - this.#clock().getTime()) / 1000);
    if (left <= 0) {
      this.#entries.delete(key);
      return undefined;
    }
    return Object.freeze({ ...(entry.answer as DnssecAnswer<T>), ttl: left, cached: true });
  }

  /** Keeps `answer` when it may be cached. */
  set(key: string, answer: DnssecAnswer<unknown>): void {
    const ttl = Math.min(answer.ttl, this.#maxTtl);
    if ((answer.status !== 'secure' && answer.status !== 'insecure') || ttl <= 0) return;
    this.#entries.set(key, { answer, expiresAt: this.#clock().getTime() + ttl * 1000 });
  }

  clear(): void {
    this.#entries.clear();
  }
}
