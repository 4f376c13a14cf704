import type { MtaStsCacheEntry, MtaStsPolicy } from '../mta-sts/index.js';
import type { Clock } from '../whitelist/index.js';

const DAY = 86_400_000;

function policy(
  mode: MtaStsPolicy['mode'],
  mx: readonly string[],
  maxAge: number,
  extra: readonly string[] = [],
) {
  const lines = [
    'version: STSv1',
    `mode: ${mode}`,
    ...mx.map((p) => `mx: ${p}`),
    `max_age: ${maxAge}`,
    ...extra,
  ];
  return { version: 'STSv1' as const, mode, maxAge, mx: [...mx], lines };
}

/** Sample cache entries for the contract suite, stamped by a clock, each for a new domain. */
export class ContractCacheEntries {
  readonly #clock: Clock;
  #next = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** A fresh domain name: `d<n>.mandant-<n>.test`. */
  domain(): string {
    this.#next++;
    return `d${this.#next}.mandant-${this.#next}.test`;
  }

  /** An `enforce` entry valid for a week. */
  enforce(overrides: Partial<MtaStsCacheEntry> = {}): MtaStsCacheEntry {
    const now = this.#clock().getTime();
    return {
      domain: this.domain(),
      id: `id${now}x${this.#next}`,
      policy: policy('enforce', ['mx1.mandant.test', '*.mx.mandant.test'], 604_800),
      fetchedAt: new Date(now).toISOString(),
      checkedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 7 * DAY).toISOString(),
      ...overrides,
    };
  }

  /** A `none` entry without mx patterns. */
  none(overrides: Partial<MtaStsCacheEntry> = {}): MtaStsCacheEntry {
    return this.enforce({ policy: policy('none', [], 86_400), ...overrides });
  }

  /** A `testing` entry whose lines hold an unknown field with non-ASCII text. */
  unicode(overrides: Partial<MtaStsCacheEntry> = {}): MtaStsCacheEntry {
    const lines = ['x-note: Grüße aus der Kanzlei Öztürk & Søren – 中文 📄 "quoted" \\ back'];
    return this.enforce({
      policy: policy('testing', ['mx.xn--mller-steuer-dlb.de'], 3_600, lines),
      ...overrides,
    });
  }

  /** An entry that expired a day ago (fetched eight days ago). */
  expired(overrides: Partial<MtaStsCacheEntry> = {}): MtaStsCacheEntry {
    const now = this.#clock().getTime();
    return this.enforce({
      fetchedAt: new Date(now - 8 * DAY).toISOString(),
      checkedAt: new Date(now - 8 * DAY).toISOString(),
      expiresAt: new Date(now - DAY).toISOString(),
      ...overrides,
    });
  }
}
