import { LRUCache } from 'lru-cache';
import { createNodeResolver } from '../dns/index.js';
import { readShape } from '../errors/index.js';
import { milliseconds, optionError } from '../internal/options.js';
import { normalizeDomain } from '../policy/index.js';
import type { MtaStsCacheEntry, MtaStsCacheStore } from './cache-types.js';
import { FETCH_FIELDS, resolveFetchOptions } from './fetch-options.js';
import { MemoryMtaStsCacheStore } from './memory-cache-store.js';
import { type Backoff, type RefreshContext, refreshDomain } from './refresh.js';
import { applyEntry, isEntryValid } from './resolution.js';
import type {
  MtaStsRecheck,
  MtaStsRefreshError,
  MtaStsResolution,
  MtaStsResolver,
  MtaStsResolverOptions,
} from './resolver-types.js';
import { SingleFlight } from './single-flight.js';
import { deleteEntry, readEntry } from './store-access.js';

const SUBJECT = 'MTA-STS option';
const DAY = 86_400_000;

const STORE_METHODS = { get: 'any', set: 'any', delete: 'any' } as const;
const RESOLVER_FIELDS = {
  ...FETCH_FIELDS,
  store: 'object',
  refreshIntervalMs: 'any',
  retryAfterFailureMs: 'any',
  onRefreshError: 'any',
} as const;

function checkStore(store: unknown): MtaStsCacheStore {
  const s = readShape(store, STORE_METHODS, { path: 'store', optional: false, subject: SUBJECT });
  for (const method of ['get', 'set', 'delete'] as const) {
    if (typeof s[method] !== 'function') {
      throw optionError(
        'store',
        typeof store,
        `must be an MTA-STS cache store (no ${method}() method)`,
        SUBJECT,
      );
    }
  }
  return store as MtaStsCacheStore;
}

/**
 * Creates the MTA-STS (RFC 8461) policy resolver a sender consults for every recipient domain. It
 * discovers (`_mta-sts` TXT), fetches (HTTPS), parses and caches policies: a valid cached policy is
 * applied without DNS and refreshed in the background at most once per `refreshIntervalMs`; when DNS
 * or HTTPS fails, a valid cached policy stays in force; a changed TXT id means a new fetch;
 * `max_age` 0 expires at once; concurrent calls for a domain share one lookup and one fetch.
 * Bad options throw `EPOLICY` naming the field.
 *
 * @example
 * ```ts
 * const mtaSts = createMtaStsResolver({ store: new FileMtaStsCacheStore('/var/lib/kanzlei/mta-sts.json') });
 * const found = await mtaSts.resolve('mandant.de');
 * if (found.mode === 'enforce' && !mxMatches(mxHost, found.policy!.mx)) {
 *   const again = await mtaSts.recheck('mandant.de'); // before refusing for good (RFC 8461 §5.1)
 * }
 * ```
 */
export function createMtaStsResolver(input: MtaStsResolverOptions = {}): MtaStsResolver {
  const options = readShape(input, RESOLVER_FIELDS, { subject: SUBJECT }) as MtaStsResolverOptions;
  const fetch = resolveFetchOptions(options, SUBJECT);
  const resolver = fetch.resolver ?? createNodeResolver();
  if (typeof resolver.resolveTxt !== 'function') {
    throw optionError(
      'resolver',
      'no resolveTxt',
      'must implement resolveTxt() for MTA-STS discovery',
      SUBJECT,
    );
  }
  const store = options.store === undefined ? new MemoryMtaStsCacheStore() : checkStore(options.store);
  const refreshMs = milliseconds('refreshIntervalMs', options.refreshIntervalMs, DAY, SUBJECT);
  const retryMs = milliseconds('retryAfterFailureMs', options.retryAfterFailureMs, 300_000, SUBJECT);
  const { onRefreshError } = options;
  if (onRefreshError !== undefined && typeof onRefreshError !== 'function') {
    throw optionError('onRefreshError', typeof onRefreshError, 'must be a function', SUBJECT);
  }
  const { clock } = fetch;
  const ctx: RefreshContext = {
    resolver,
    store,
    fetch,
    clock,
    retryMs,
    backoff: new LRUCache<string, Backoff>({ max: 10_000 }),
  };
  const resolving = new SingleFlight<MtaStsResolution>();
  const refreshing = new SingleFlight<MtaStsResolution>();
  const background = new Set<Promise<void>>();
  let closed = false;

  const refresh = (domain: string) => refreshDomain(ctx, domain);

  const report = (event: MtaStsRefreshError) => {
    try {
      onRefreshError?.(event);
    } catch {
      // A listener's own failure must not become an unhandled rejection of the refresh.
    }
  };

  const startBackground = (domain: string, cached: MtaStsCacheEntry) => {
    if (closed || refreshing.has(domain)) return;
    const run: Promise<void> = refreshing
      .run(domain, () => refresh(domain))
      .then(
        (resolution) => {
          if (resolution.source === 'cached') report({ domain, cached, resolution });
        },
        (error: unknown) => report({ domain, cached, error }),
      );
    background.add(run);
    void run.finally(() => background.delete(run));
  };

  const resolveOnce = async (domain: string): Promise<MtaStsResolution> => {
    const entry = await readEntry(store, domain);
    const now = clock();
    if (!isEntryValid(entry, now)) return refreshing.run(domain, () => refresh(domain));
    const hold = ctx.backoff.get(domain);
    const due =
      now.getTime() >= Date.parse(entry.checkedAt) + refreshMs &&
      (hold === undefined || now.getTime() >= hold.retryAt);
    if (due) startBackground(domain, entry);
    return applyEntry('cached', entry, now, { refreshing: refreshing.has(domain) });
  };

  return {
    async resolve(input) {
      const domain = normalizeDomain(input);
      return resolving.run(domain, () => resolveOnce(domain));
    },
    async recheck(input) {
      const domain = normalizeDomain(input);
      const before = await readEntry(store, domain);
      const previousId = isEntryValid(before, clock()) ? before.id : undefined;
      const after = await refreshing.runFresh(domain, () => refresh(domain));
      const recheck: MtaStsRecheck = {
        ...after,
        ...(previousId === undefined ? {} : { previousId }),
        changed: (previousId ?? '') !== (after.id ?? ''),
      };
      return Object.freeze(recheck);
    },
    async forget(input) {
      const domain = normalizeDomain(input);
      ctx.backoff.delete(domain);
      return deleteEntry(store, domain);
    },
    async idle() {
      while (background.size > 0) await Promise.all([...background]);
    },
    async close() {
      closed = true;
      while (background.size > 0) await Promise.all([...background]);
    },
  };
}
