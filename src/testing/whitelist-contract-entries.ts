import { randomUUID } from 'node:crypto';
import type { Clock } from '../internal/clock.js';
import type { WhitelistEntry } from '../whitelist/types.js';

const DAY = 24 * 60 * 60 * 1000;

/** Builds well-formed, normalized entries for the store contract, stamped by an injected clock. */
export class ContractEntries {
  readonly #clock: Clock;
  #serial = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** An entry with every optional field set. */
  full(overrides: Partial<WhitelistEntry> = {}): WhitelistEntry {
    const now = this.#clock().getTime();
    return {
      ...this.minimal(),
      consentRef: `EW-2026-${this.#serial}`,
      expiresAt: new Date(now + 30 * DAY).toISOString(),
      ...overrides,
    };
  }

  /** An entry with only the required fields. */
  minimal(overrides: Partial<WhitelistEntry> = {}): WhitelistEntry {
    const n = ++this.#serial;
    return {
      id: randomUUID(),
      direction: n % 2 === 0 ? 'inbound' : 'outbound',
      scope: n % 3 === 0 ? 'subdomains' : 'domain',
      value: `mandant-${n}.example.test`,
      reason: `Mandant ${n} wünscht unverschlüsselte Zustellung`,
      approvedBy: 'StB Erika Mustermann',
      createdAt: this.#clock().toISOString(),
      ...overrides,
    };
  }

  /** An entry whose `expiresAt` has passed. */
  expired(): WhitelistEntry {
    const now = this.#clock().getTime();
    return this.full({
      createdAt: new Date(now - 2 * DAY).toISOString(),
      expiresAt: new Date(now - DAY).toISOString(),
    });
  }
}

/** Entries sorted by id, as plain objects, for order-independent comparison. */
export function byId(entries: readonly WhitelistEntry[]): WhitelistEntry[] {
  return [...entries].map((e) => ({ ...e })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
