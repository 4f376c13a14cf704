import type { DnssecLookup, DnssecStatus, LookupKind, TlsaRecord } from '../dane/index.js';
import type { MxRecord } from '../dns/index.js';

/** The record types the DNSSEC resolver looks up. */
export type DnssecRecordType = 'MX' | 'A' | 'AAAA' | 'TLSA' | 'TXT';

/**
 * The record each type yields: `MX` an {@link MxRecord} (exchange lowercase without trailing dot,
 * `''` for a null MX), `A`/`AAAA` the address, `TLSA` a {@link TlsaRecord}, `TXT` the record's
 * character-strings joined (as MTA-STS and TLS-RPT records are read).
 */
export interface DnssecRecordMap {
  /** `priority` (the MX preference) and `exchange` (lowercase, no trailing dot; `''` for a null MX). */
  readonly MX: MxRecord;
  /** An IPv4 address in dotted-decimal form. */
  readonly A: string;
  /** An IPv6 address in text form. */
  readonly AAAA: string;
  /** Usage, selector, matching type and association data. */
  readonly TLSA: TlsaRecord;
  /** The record's character-strings, decoded as UTF-8 and joined without a separator. */
  readonly TXT: string;
}

/**
 * Why a lookup has status `bogus` or `failed`: `servfail`, `refused` or another error `rcode` from the
 * resolver, `timeout` (no reply within the try timeouts and the deadline), `malformed` (only replies
 * that could not be decoded or did not answer the question), `network` (a socket error such as
 * `ECONNREFUSED`), `aborted` (the caller's signal fired).
 */
export type DnssecFailure =
  | 'servfail'
  | 'refused'
  | 'rcode'
  | 'timeout'
  | 'malformed'
  | 'network'
  | 'aborted';

/** An Extended DNS Error (RFC 8914) the resolver attached to its reply. */
export interface ExtendedDnsError {
  /** The INFO-CODE: 6 "DNSSEC Bogus", 7 "Signature Expired", 9 "DNSKEY Missing", … */
  readonly code: number;
  /** The EXTRA-TEXT, if any (resolver-written, for logs only). */
  readonly text?: string;
}

/**
 * The result of one DNSSEC lookup. Plain, frozen data. `status` says what the validating resolver
 * vouched for; `bogus` and `failed` carry no records and must never be read as "no records".
 */
export interface DnssecAnswer<T> extends DnssecLookup<T> {
  /** The name asked for: lowercase, no trailing dot. */
  readonly name: string;
  /** The record type asked for. */
  readonly type: DnssecRecordType;
  /** What the validating resolver vouched for: `secure` only with the AD bit set. */
  readonly status: DnssecStatus;
  /** Records, NODATA, NXDOMAIN, or `error` (for `bogus` and `failed`). */
  readonly kind: LookupKind;
  /** The records (only for kind `records`). */
  readonly records: readonly T[];
  /** The reply's rcode (`NOERROR`, `NXDOMAIN`, `SERVFAIL`, …); absent when no reply arrived. */
  readonly rcode?: string;
  /** Seconds the answer may be used: the smallest TTL of the records (or of the SOA for a denial), `0` for failures. For a cached answer, what is left. */
  readonly ttl: number;
  /** The name the records are at, when CNAME records in the answer led there. */
  readonly canonicalName?: string;
  /** The resolver (`host:port`) whose reply this is. */
  readonly server?: string;
  /** How the reply arrived: `udp`, or `tcp` after a truncated UDP reply. */
  readonly transport?: 'udp' | 'tcp';
  /** True when this answer came from the cache: no query was sent for it. */
  readonly cached: boolean;
  /** For `bogus`/`failed`: why. */
  readonly failure?: DnssecFailure;
  /** Extended DNS Errors from the resolver's reply. */
  readonly extendedErrors?: readonly ExtendedDnsError[];
  /** For `bogus`/`failed`: a technical one-line description in English. */
  readonly message?: string;
}

/** Per-lookup options. */
export interface DnssecLookupOptions {
  /** Ends this caller's wait early (the answer is then `failed` with failure `aborted`). */
  readonly signal?: AbortSignal;
}

/** Counters for diagnostics and benchmarks. */
export interface DnssecResolverStats {
  /** Lookups asked for (cached or not). */
  readonly lookups: number;
  /** Lookups answered from the cache. */
  readonly cacheHits: number;
  /** Queries sent over UDP. */
  readonly udpQueries: number;
  /** Queries sent over TCP (after truncation). */
  readonly tcpQueries: number;
}

/**
 * A DNSSEC-aware stub resolver: it asks validating resolvers the operator names and reports the
 * security status of every answer. Lookups never reject for DNS problems (they become a status);
 * they reject with `EADDRESS` only for a malformed name.
 */
export interface DnssecResolver {
  /** The resolvers asked, as `host:port`, in order. */
  readonly servers: readonly string[];
  /**
   * Records of `type` at `name` (lowercased, trailing dot dropped), from the cache or the servers.
   * Rejects with `EADDRESS` for a malformed name and `EPOLICY` for a type not in {@link DnssecRecordType}.
   */
  lookup<T extends DnssecRecordType>(
    name: string,
    type: T,
    options?: DnssecLookupOptions,
  ): Promise<DnssecAnswer<DnssecRecordMap[T]>>;
  /** MX records of a domain. */
  mx(domain: string, options?: DnssecLookupOptions): Promise<DnssecAnswer<MxRecord>>;
  /** A records of a host. */
  a(host: string, options?: DnssecLookupOptions): Promise<DnssecAnswer<string>>;
  /** AAAA records of a host. */
  aaaa(host: string, options?: DnssecLookupOptions): Promise<DnssecAnswer<string>>;
  /** TLSA records of a TCP service: `_<port>._tcp.<host>`, port 25 by default (RFC 7672). */
  tlsa(host: string, port?: number, options?: DnssecLookupOptions): Promise<DnssecAnswer<TlsaRecord>>;
  /** TXT records of a name. */
  txt(name: string, options?: DnssecLookupOptions): Promise<DnssecAnswer<string>>;
  /** A copy of the counters since the resolver was created ({@link clearCache} does not reset them). */
  stats(): DnssecResolverStats;
  /** Forgets every cached answer. */
  clearCache(): void;
}
