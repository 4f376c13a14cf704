import { describeValue, ForcedTlsError, isInstance, readShape } from '../errors/index.js';
import { AnswerCache } from './answer-cache.js';
import { normalizeDnsName } from './dns-name.js';
import { failedAnswer } from './interpret.js';
import { type DnssecResolverOptions, resolveDnssecOptions } from './options.js';
import type {
  DnssecAnswer,
  DnssecLookupOptions,
  DnssecRecordMap,
  DnssecRecordType,
  DnssecResolver,
} from './types.js';
import { type Counters, type Question, resolveOnWire } from './wire-lookup.js';

const TYPES: ReadonlySet<string> = new Set<DnssecRecordType>(['MX', 'A', 'AAAA', 'TLSA', 'TXT']);

function untilAborted<T>(pending: Promise<DnssecAnswer<T>>, question: Question, signal?: AbortSignal) {
  if (signal === undefined) return pending;
  const aborted = () =>
    failedAnswer<T>(question, 'aborted', `lookup of ${question.name} ${question.type} aborted`);
  if (signal.aborted) return Promise.resolve(aborted());
  return new Promise<DnssecAnswer<T>>((resolve) => {
    const onAbort = () => resolve(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    void pending.then((answer) => {
      signal.removeEventListener('abort', onAbort);
      resolve(answer);
    });
  });
}

// Per-lookup options, read once: `signal` must be an AbortSignal.
function readLookupOptions(input: unknown): DnssecLookupOptions {
  const options = readShape(input, { signal: 'object' }, { subject: 'DNSSEC lookup option' });
  if (options.signal !== undefined && !isInstance(options.signal, AbortSignal)) {
    throw new ForcedTlsError('EPOLICY', 'Invalid DNSSEC lookup option signal: must be an AbortSignal', {
      path: 'signal',
      value: options.signal,
    });
  }
  return options as DnssecLookupOptions;
}

/**
 * Creates a DNSSEC-aware stub resolver on `dns-packet`. Each query goes to one of `servers` with RD,
 * EDNS0 and the DO bit, from a fresh UDP socket with a random id; a truncated reply is asked again
 * over TCP; a reply counts only when it answers the question (id, name, type, class). A try waits
 * `timeoutMs` (1500), a lookup makes at most `tries` (3) queries round robin over the servers and
 * always ends by `deadlineMs` (5000) after it started. Answers are cached for their TTL; concurrent
 * lookups of the same name and type share one query.
 *
 * The AD bit is trusted from these servers only: they must validate DNSSEC (see docs/dane.md).
 * Throws `EPOLICY` for bad options: no servers, a name instead of an address, a remote address
 * without `allowRemoteServers`, numbers out of range.
 *
 * @example
 * ```ts
 * const dnssec = createDnssecResolver({ servers: ['127.0.0.1:53'] });
 * const mx = await dnssec.mx('mandant.test');
 * if (mx.status === 'secure') for (const r of mx.records) console.log(r.exchange);
 * const tlsa = await dnssec.tlsa('mx1.mandant.test'); // _25._tcp.mx1.mandant.test
 * ```
 */
export function createDnssecResolver(options: DnssecResolverOptions): DnssecResolver {
  const o = resolveDnssecOptions(options);
  const cache = o.cache === false ? undefined : new AnswerCache(o.cache.max, o.cache.maxTtl, o.clock);
  const inflight = new Map<string, Promise<DnssecAnswer<unknown>>>();
  const counters: Counters = { lookups: 0, cacheHits: 0, udpQueries: 0, tcpQueries: 0 };

  async function lookup<T extends DnssecRecordType>(
    name: string,
    type: T,
    lookupOptions: DnssecLookupOptions = {},
  ): Promise<DnssecAnswer<DnssecRecordMap[T]>> {
    if (!TYPES.has(type)) {
      throw new ForcedTlsError('EPOLICY', `unsupported record type ${describeValue(type)}`, {
        path: 'type',
        value: type,
      });
    }
    const { signal } = readLookupOptions(lookupOptions);
    const question = { name: normalizeDnsName(name), type };
    counters.lookups++;
    const key = `${question.name} ${type}`;
    const hit = cache?.get<DnssecRecordMap[T]>(key);
    if (hit !== undefined) {
      counters.cacheHits++;
      return hit;
    }
    let pending = inflight.get(key);
    if (pending === undefined) {
      pending = resolveOnWire(o, question, counters).then((answer) => {
        inflight.delete(key);
        cache?.set(key, answer);
        return answer;
      });
      inflight.set(key, pending);
    }
    return untilAborted(pending as Promise<DnssecAnswer<DnssecRecordMap[T]>>, question, signal);
  }

  return {
    servers: o.servers.map((s) => s.label),
    lookup,
    mx: (domain, opts) => lookup(domain, 'MX', opts),
    a: (host, opts) => lookup(host, 'A', opts),
    aaaa: (host, opts) => lookup(host, 'AAAA', opts),
    tlsa: async (host, port = 25, opts = {}) => {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new ForcedTlsError('EPOLICY', 'port must be an integer from 1 to 65535', {
          path: 'port',
          value: port,
        });
      }
      return lookup(`_${port}._tcp.${normalizeDnsName(host)}`, 'TLSA', opts);
    },
    txt: (name, opts) => lookup(name, 'TXT', opts),
    stats: () => ({ ...counters }),
    clearCache: () => cache?.clear(),
  };
}
