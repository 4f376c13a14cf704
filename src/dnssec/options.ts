import { ForcedTlsError, isRecord, readShape } from '../errors/index.js';
import type { Clock } from '../whitelist/index.js';
import { type DnsServer, parseDnsServer } from './server-address.js';

/** Options of `createDnssecResolver`. */
export interface DnssecResolverOptions {
  /**
   * The DNSSEC-validating resolvers to ask, as `host:port` (IP addresses only; port 53 when omitted).
   * Required and non-empty: there is no default, because the AD bit is only worth what the resolver
   * that sets it is worth. Without a resolver, DANE is off.
   * @example ['127.0.0.1:53', '[::1]:53']
   */
  readonly servers: readonly string[];
  /**
   * Accept resolvers that are not on a loopback address. Their AD bit crosses the network without
   * protection; only for a resolver on a network segment trusted like the host itself.
   * @default false
   */
  readonly allowRemoteServers?: boolean;
  /** Time to wait for the reply to one query (a UDP try, or its TCP retry after truncation). @default 1500 */
  readonly timeoutMs?: number;
  /** Queries per lookup in total, cycling over `servers` (a server that answered with an error rcode is not asked again). @default 3 */
  readonly tries?: number;
  /** Every lookup ends by this many milliseconds after it started, whatever the tries left. @default 5000 */
  readonly deadlineMs?: number;
  /** The EDNS0 UDP payload size advertised (RFC 6891); larger answers come over TCP. @default 1232 */
  readonly udpPayloadSize?: number;
  /** The answer cache: `false` turns it off. @default { max: 10000, maxTtl: 86400 } */
  readonly cache?:
    | false
    | {
        /** Answers kept at most (1 to 10,000,000); the least recently used is dropped first. @default 10000 */
        readonly max?: number;
        /** Seconds an answer is kept at most, whatever its TTL (0 to 604,800). @default 86400 */
        readonly maxTtl?: number;
      };
  /** Source of the current time for the cache. @default () => new Date() */
  readonly clock?: Clock;
}

/**
 * The defaults of {@link DnssecResolverOptions}: per try 1500 ms, 3 tries per lookup, every lookup
 * over after 5000 ms, EDNS0 payload 1232 bytes, up to 10000 cached answers for at most a day.
 *
 * @example
 * ```ts
 * createDnssecResolver({ servers: ['127.0.0.1:53'], deadlineMs: DNSSEC_RESOLVER_DEFAULTS.deadlineMs * 2 });
 * ```
 */
export const DNSSEC_RESOLVER_DEFAULTS = {
  /** Milliseconds to wait for the reply to one query. */
  timeoutMs: 1500,
  /** Queries per lookup in total. */
  tries: 3,
  /** Milliseconds after which a lookup ends. */
  deadlineMs: 5000,
  /** EDNS0 UDP payload size advertised, in bytes. */
  udpPayloadSize: 1232,
  /** Answers the cache keeps at most. */
  cacheMax: 10_000,
  /** Seconds a cached answer is kept at most. */
  cacheMaxTtl: 86_400,
} as const;

/** The options checked, with the defaults filled in. */
export interface ResolvedDnssecOptions {
  readonly servers: readonly DnsServer[];
  readonly timeoutMs: number;
  readonly tries: number;
  readonly deadlineMs: number;
  readonly udpPayloadSize: number;
  readonly cache: { readonly max: number; readonly maxTtl: number } | false;
  readonly clock: Clock;
}

function integer(value: unknown, fallback: number, path: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ForcedTlsError('EPOLICY', `${path} must be an integer from ${min} to ${max}`, { path, value });
  }
  return value;
}

const FIELDS = {
  servers: 'array',
  allowRemoteServers: 'boolean',
  timeoutMs: 'number',
  tries: 'number',
  deadlineMs: 'number',
  udpPayloadSize: 'number',
  cache: 'any',
  clock: 'function',
} as const;

function cacheOf(value: unknown): DnssecResolverOptions['cache'] {
  if (value === undefined || value === false) return value;
  if (!isRecord(value)) {
    throw new ForcedTlsError('EPOLICY', 'cache must be false or { max, maxTtl }', { path: 'cache', value });
  }
  const fields = { max: 'any', maxTtl: 'any' } as const;
  return readShape(value, fields, { path: 'cache', subject: 'DNSSEC resolver option' }) as {
    max?: number;
    maxTtl?: number;
  };
}

/** Checks the options (failing with `EPOLICY` naming the field) and fills in the defaults. */
export function resolveDnssecOptions(input: DnssecResolverOptions): ResolvedDnssecOptions {
  const read = readShape(input, FIELDS, { optional: false, subject: 'DNSSEC resolver option' });
  const options = { ...read, cache: cacheOf(read.cache) } as DnssecResolverOptions;
  const list: unknown = options.servers === undefined ? undefined : Array.from(options.servers);
  if (!Array.isArray(list) || list.length === 0) {
    throw new ForcedTlsError('EPOLICY', 'servers must list at least one DNSSEC-validating resolver', {
      path: 'servers',
      value: list,
    });
  }
  const remote = options.allowRemoteServers === true;
  const servers = list.map((s: unknown, i) => parseDnsServer(s, remote, `servers[${i}]`));
  const d = DNSSEC_RESOLVER_DEFAULTS;
  const cacheOption = options.cache;
  const cache =
    cacheOption === false
      ? false
      : {
          max: integer(cacheOption?.max, d.cacheMax, 'cache.max', 1, 10_000_000),
          maxTtl: integer(cacheOption?.maxTtl, d.cacheMaxTtl, 'cache.maxTtl', 0, 604_800),
        };
  return {
    servers,
    timeoutMs: integer(options.timeoutMs, d.timeoutMs, 'timeoutMs', 1, 60_000),
    tries: integer(options.tries, d.tries, 'tries', 1, 10),
    deadlineMs: integer(options.deadlineMs, d.deadlineMs, 'deadlineMs', 1, 120_000),
    udpPayloadSize: integer(options.udpPayloadSize, d.udpPayloadSize, 'udpPayloadSize', 512, 4096),
    cache,
    clock: options.clock ?? (() => new Date()),
  };
}
