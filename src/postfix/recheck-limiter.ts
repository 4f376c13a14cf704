import { LRUCache } from 'lru-cache';
import type { Clock } from '../whitelist/index.js';

/** How often one domain's cached MTA-STS policy is checked again because it lists no current MX host. */
export const MTA_STS_RECHECK_INTERVAL_MS = 300_000;

/**
 * Allows one MTA-STS re-check per domain per interval (RFC 8461 §3.3 suggests five minutes or more
 * between fetches of one policy), so a domain whose MX hosts never match its policy costs one TXT
 * lookup per interval, not one per Postfix lookup. Remembers at most 10,000 domains.
 */
export class RecheckLimiter {
  readonly #last = new LRUCache<string, number>({ max: 10_000 });
  readonly #clock: Clock;
  readonly #intervalMs: number;

  constructor(clock: Clock, intervalMs = MTA_STS_RECHECK_INTERVAL_MS) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
  }

  /** True (and counted) when `domain` may be re-checked now. */
  allow(domain: string): boolean {
    const now = this.#clock().getTime();
    const last = this.#last.get(domain);
    if (last !== undefined && now - last < this.#intervalMs) return false;
    this.#last.set(domain, now);
    return true;
  }
}
