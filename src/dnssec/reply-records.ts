import type { Answer } from 'dns-packet';
import type { DnssecRecordMap, DnssecRecordType } from './types.js';

const MAX_CNAME_HOPS = 8;

const owner = (record: Answer): string => record.name.toLowerCase().replace(/\.$/, '');

function ttlOf(record: Answer): number {
  return 'ttl' in record && typeof record.ttl === 'number' ? record.ttl : 0;
}

function toText(data: unknown): string {
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
}

const address = (data: unknown): string | undefined => (typeof data === 'string' ? data : undefined);

function mx(data: unknown): DnssecRecordMap['MX'] | undefined {
  const { exchange, preference } = (data ?? {}) as { exchange?: unknown; preference?: unknown };
  if (typeof exchange !== 'string') return undefined;
  return {
    exchange: exchange.toLowerCase().replace(/\.$/, ''),
    priority: typeof preference === 'number' ? preference : 0,
  };
}

function tlsa(data: unknown): DnssecRecordMap['TLSA'] | undefined {
  const { usage, selector, matchingType, certificate } = (data ?? {}) as Record<string, unknown>;
  if (typeof usage !== 'number' || typeof selector !== 'number' || typeof matchingType !== 'number') {
    return undefined;
  }
  return Buffer.isBuffer(certificate)
    ? { usage, selector, matchingType, data: Buffer.from(certificate) }
    : undefined;
}

const CONVERT: { readonly [K in DnssecRecordType]: (data: unknown) => DnssecRecordMap[K] | undefined } = {
  A: address,
  AAAA: address,
  MX: mx,
  TLSA: tlsa,
  TXT: toText,
};

/** The records of `type` for `name` in an answer section, following CNAME records there. */
export interface ReplyRecords<T> {
  readonly records: T[];
  /** Where the records are: `name`, or the end of the CNAME chain. */
  readonly canonicalName: string;
  /** The smallest TTL of the records and the CNAME records on the way (`Infinity` when none). */
  readonly ttl: number;
}

/**
 * Reads the records of `type` at `name` from an answer section, following a CNAME chain (at most
 * eight hops, no loops) as a resolver returns it; records at other names are ignored.
 */
export function replyRecords<T extends DnssecRecordType>(
  answers: readonly Answer[],
  name: string,
  type: T,
): ReplyRecords<DnssecRecordMap[T]> {
  let current = name;
  let ttl = Number.POSITIVE_INFINITY;
  const seen = new Set([current]);
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const here = answers.filter((a) => a.type === type && owner(a) === current);
    if (here.length > 0) {
      const convert = CONVERT[type] as (data: unknown) => DnssecRecordMap[T] | undefined;
      const records = here
        .map((a) => convert((a as { data?: unknown }).data))
        .filter((r): r is DnssecRecordMap[T] => r !== undefined);
      for (const a of here) ttl = Math.min(ttl, ttlOf(a));
      return { records, canonicalName: current, ttl };
    }
    const cname = answers.find((a) => a.type === 'CNAME' && owner(a) === current);
    const target = (cname as { data?: unknown } | undefined)?.data;
    if (cname === undefined || typeof target !== 'string') break;
    ttl = Math.min(ttl, ttlOf(cname));
    current = target.toLowerCase().replace(/\.$/, '');
    if (seen.has(current)) break;
    seen.add(current);
  }
  return { records: [], canonicalName: current, ttl };
}

/** The negative-caching TTL of a denial (RFC 2308 §5): the smaller of the SOA's TTL and its MINIMUM, or 0. */
export function denialTtl(authorities: readonly Answer[]): number {
  const soa = authorities.find((a) => a.type === 'SOA');
  if (soa === undefined || soa.type !== 'SOA') return 0;
  return Math.min(ttlOf(soa), soa.data.minimum ?? 0);
}
