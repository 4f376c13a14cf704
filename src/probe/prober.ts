import { LRUCache } from 'lru-cache';
import { positiveInteger, readShape } from '../internal/index.js';
import { normalizeDomain } from '../policy/index.js';
import { Limiter } from './limiter.js';
import { PROBE_FIELDS, type ProbeOptions, resolveProbeOptions } from './options.js';
import { runProbe } from './probe-domain.js';
import type { ProbeResult } from './types.js';

/** Options of {@link createProber}: the probe options plus caching and a connection limit. */
export interface ProberOptions extends ProbeOptions {
  /** How many domains' results to keep. @default 1000 */
  readonly maxEntries?: number;
  /**
   * How long (ms) a result in which every host had TLS, none was refused by the recipient's DANE or
   * MTA-STS policy and the MTA-STS resolver answered stays cached. @default 3600000 (1 hour)
   */
  readonly ttl?: number;
  /**
   * How long (ms) any other result stays cached (no TLS somewhere, DNS or DNSSEC failure, a DANE or
   * MTA-STS refusal, no hosts). @default 300000 (5 minutes)
   */
  readonly negativeTtl?: number;
  /** Connections open at once across every probe of this prober. @default 10 */
  readonly maxConnections?: number;
}

/** A caching, coalescing, connection-limited domain prober. */
export interface Prober {
  /**
   * The domain's probe result: from the cache while fresh, else a new probe. Concurrent calls for the
   * same domain share one probe. `fresh: true` skips the cache (and refreshes it).
   */
  probe(domain: string, options?: { readonly fresh?: boolean }): Promise<ProbeResult>;
  /** Forgets every cached result. */
  clear(): void;
  /** Number of cached results. */
  readonly size: number;
}

const PROBER_FIELDS = {
  ...PROBE_FIELDS,
  maxEntries: 'any',
  ttl: 'any',
  negativeTtl: 'any',
  maxConnections: 'any',
} as const;

// A result worth keeping long: TLS everywhere and nothing transient (a deferral, a refusal, a failed store).
function settled(result: ProbeResult): boolean {
  return (
    result.satisfies.encrypt &&
    result.hosts.every((h) => h.refused === undefined) &&
    result.mtaSts?.status !== 'error'
  );
}

function count(path: string, value: number | undefined, fallback: number): number {
  return positiveInteger(path, value, fallback, 'prober option');
}

/**
 * Creates a prober for repeated checks (the relay mode's pre-send check, the CLI over a list of
 * domains). Results are cached with `lru-cache` on the injected clock; failures are cached shorter so a
 * fixed server is seen again soon.
 *
 * @example
 * ```ts
 * const prober = createProber({ ehloName: 'mail.kanzlei.de', maxConnections: 5 });
 * const result = await prober.probe('mandant-gmbh.de');
 * ```
 */
export function createProber(input?: ProberOptions): Prober {
  const options = readShape(input, PROBER_FIELDS, { subject: 'prober option' }) as ProberOptions;
  const resolved = resolveProbeOptions(options);
  const ttl = count('ttl', options.ttl, 3_600_000);
  const negativeTtl = count('negativeTtl', options.negativeTtl, 300_000);
  const limiter = new Limiter(count('maxConnections', options.maxConnections, 10));
  const cache = new LRUCache<string, ProbeResult>({
    max: count('maxEntries', options.maxEntries, 1000),
    ttl,
    // The clock is injectable; a cached "now" (ttlResolution) would hide a clock step in tests.
    ttlResolution: 0,
    perf: { now: () => resolved.clock().getTime() },
  });
  const inFlight = new Map<string, Promise<ProbeResult>>();

  return {
    async probe(domain, probeOptions) {
      const key = normalizeDomain(domain);
      const { fresh } = readShape(probeOptions, { fresh: 'boolean' }, { subject: 'probe option' });
      const running = inFlight.get(key);
      if (running !== undefined) return running;
      if (fresh !== true) {
        const cached = cache.get(key);
        if (cached !== undefined) return cached;
      }
      const probe = runProbe(key, resolved, limiter)
        .then((result) => {
          cache.set(key, result, { ttl: settled(result) ? ttl : negativeTtl });
          return result;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, probe);
      return probe;
    },
    clear: () => cache.clear(),
    get size() {
      return cache.size;
    },
  };
}
