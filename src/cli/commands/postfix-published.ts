import { createDnssecResolver, type DnssecResolver } from '../../dnssec/index.js';
import { createMtaStsResolver, FileMtaStsCacheStore, type MtaStsResolver } from '../../mta-sts/index.js';
import type { CliIo } from '../io.js';
import { resolvePath } from '../load-inputs.js';

/** The `--mta-sts` and `--dnssec-server` resolvers of `postfix serve`. */
export interface PublishedResolvers {
  readonly mtaSts?: MtaStsResolver;
  readonly dnssec?: DnssecResolver;
  /** For the `listening` log line: the cache file and the resolvers asked. */
  readonly described: { readonly mtaStsCache: string | null; readonly dnssecServers: readonly string[] };
  /** Waits for background MTA-STS refreshes and closes the cache file. */
  close(): Promise<void>;
}

/**
 * Builds the resolvers from the options: `--mta-sts FILE` an MTA-STS resolver on the system DNS
 * whose policies are cached in FILE (kept across restarts, so a cached `enforce` policy keeps
 * protecting after one), `--dnssec-server HOST:PORT` (repeatable) a DNSSEC resolver that asks those
 * validating resolvers. Bad values throw `EPOLICY` naming the option's field. A failed background
 * refresh is logged as `mta_sts_refresh_failed`; the cached policy stays in force.
 */
export function publishedResolvers(
  io: CliIo,
  cacheFile: string | undefined,
  servers: readonly string[] | undefined,
  log: (line: Record<string, unknown>) => void,
): PublishedResolvers {
  const store = cacheFile === undefined ? undefined : new FileMtaStsCacheStore(resolvePath(io, cacheFile));
  const mtaSts =
    store === undefined
      ? undefined
      : createMtaStsResolver({
          store,
          onRefreshError: (e) =>
            log({
              event: 'mta_sts_refresh_failed',
              domain: e.domain,
              kept: e.cached === undefined ? null : { id: e.cached.id, expiresAt: e.cached.expiresAt },
              txt: e.resolution?.txt?.status ?? null,
              failure: e.resolution?.failure?.reason ?? null,
              error: e.error instanceof Error ? e.error.message : null,
            }),
        });
  const dnssec =
    servers === undefined || servers.length === 0
      ? undefined
      : createDnssecResolver({ servers: [...servers] });
  return {
    ...(mtaSts === undefined ? {} : { mtaSts }),
    ...(dnssec === undefined ? {} : { dnssec }),
    described: {
      mtaStsCache: store === undefined ? null : resolvePath(io, cacheFile!),
      dnssecServers: dnssec?.servers ?? [],
    },
    async close() {
      await mtaSts?.close();
      await store?.close();
    },
  };
}
