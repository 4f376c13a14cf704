import { rootCertificates } from 'node:tls';
import type { ConnectHook, Resolver } from '../dns/index.js';
import { readShape } from '../errors/index.js';
import { caList, milliseconds, optionError } from '../internal/options.js';
import type { Clock } from '../whitelist/index.js';

/** Options of `fetchMtaStsPolicy` and `lookupMtaSts` (and the fetch part of `createMtaStsResolver`). */
export interface FetchMtaStsPolicyOptions {
  /**
   * Finds the policy host's address (A, then AAAA) and, for `lookupMtaSts`, the TXT record.
   * @default the system's DNS (`createNodeResolver()`)
   */
  readonly resolver?: Resolver;
  /** Maps the policy host name to an address and port (tests); wins over DNS. The certificate is still checked against the name. */
  readonly connect?: ConnectHook;
  /** Extra trusted CA certificates (PEM), added to Node's root store (private CAs, tests). */
  readonly ca?: string | readonly string[];
  /**
   * One deadline for the whole fetch, counted from its start: address lookup, connect, handshake,
   * request and the complete body. RFC 8461 §3.3 suggests one minute; a first send to a domain waits
   * for this, so the default is shorter.
   * @default 30000
   */
  readonly fetchTimeoutMs?: number;
  /** Deadline of the TXT lookup. @default 10000 */
  readonly dnsTimeoutMs?: number;
  /** Time source for the times in results and failures. @default () => new Date() */
  readonly clock?: Clock;
}

/** The fetch options after validation. */
export interface ResolvedFetchOptions {
  readonly resolver: Resolver | undefined;
  readonly connect: ConnectHook | undefined;
  /** Node's roots plus the extra CAs, or `undefined` for Node's roots alone. */
  readonly ca: readonly string[] | undefined;
  readonly timeoutMs: number;
  readonly dnsTimeoutMs: number;
  readonly clock: Clock;
}

/** The fields of {@link FetchMtaStsPolicyOptions}; their values are checked below. */
export const FETCH_FIELDS = {
  resolver: 'any',
  connect: 'any',
  ca: 'any',
  fetchTimeoutMs: 'any',
  dnsTimeoutMs: 'any',
  clock: 'any',
} as const;

const RESOLVER_METHODS = {
  resolveMx: 'function',
  resolve4: 'function',
  resolve6: 'function',
  resolveTxt: 'function',
} as const;

/** Validates the fetch options (`EPOLICY` naming the field) and fills in the defaults. */
export function resolveFetchOptions(input: unknown, subject: string): ResolvedFetchOptions {
  // Read once, each field in its own try: a getter cannot pass the checks and answer differently later.
  const options = readShape(input, FETCH_FIELDS, { subject }) as FetchMtaStsPolicyOptions;
  const { resolver, connect, clock } = options;
  if (resolver !== undefined && (typeof resolver !== 'object' || resolver === null)) {
    throw optionError('resolver', typeof resolver, 'must be a resolver object', subject);
  }
  // Its methods must be readable (a throwing getter or proxy is refused here) and functions.
  if (resolver !== undefined) readShape(resolver, RESOLVER_METHODS, { path: 'resolver', subject });
  if (connect !== undefined && typeof connect !== 'function') {
    throw optionError(
      'connect',
      typeof connect,
      'must be a function (host, port) => { host, port }',
      subject,
    );
  }
  if (clock !== undefined && typeof clock !== 'function')
    throw optionError('clock', typeof clock, 'must be a function returning a Date', subject);
  const ca = caList(options.ca, 'ca', subject);
  return {
    resolver,
    connect,
    // Extra CAs are added to Node's root store, as in the transports and the probe.
    ca: ca === undefined ? undefined : [...rootCertificates, ...ca],
    timeoutMs: milliseconds('fetchTimeoutMs', options.fetchTimeoutMs, 30_000, subject),
    dnsTimeoutMs: milliseconds('dnsTimeoutMs', options.dnsTimeoutMs, 10_000, subject),
    clock: clock ?? (() => new Date()),
  };
}
