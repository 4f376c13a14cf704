import { promises as dns } from 'node:dns';
import type { Resolver } from '../dns/index.js';

/**
 * The deadline of one DNS lookup of `check` without `--timeout`, in milliseconds.
 *
 * @example
 * ```ts
 * withLookupDeadline(resolver, timeout ?? DEFAULT_DNS_TIMEOUT_MS);
 * ```
 */
export const DEFAULT_DNS_TIMEOUT_MS = 10_000;

type Method = 'resolveMx' | 'resolve4' | 'resolve6' | 'resolveTxt';

const SYSCALL: Readonly<Record<Method, string>> = {
  resolveMx: 'queryMx',
  resolve4: 'queryA',
  resolve6: 'queryAaaa',
  resolveTxt: 'queryTxt',
};

// Shaped like node:dns's own timeout, so the probe and the MTA-STS resolver report `ETIMEOUT`.
function timeoutError(method: Method, name: string, ms: number): Error {
  return Object.assign(new Error(`${SYSCALL[method]} ETIMEOUT ${name} (no answer within ${ms} ms)`), {
    code: 'ETIMEOUT',
    syscall: SYSCALL[method],
    hostname: name,
  });
}

// The timer is not unref'd: a lookup that never answers must end in ETIMEOUT, not in an idle exit.
function bounded<T>(work: Promise<T>, ms: number, method: Method, name: string, cancel?: () => void) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cancel?.();
      reject(timeoutError(method, name, ms));
    }, ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * `resolver` with a deadline on every lookup, counted from the call: after `ms` milliseconds the
 * lookup rejects with `ETIMEOUT`, whatever the resolver is still waiting for.
 *
 * @example
 * ```ts
 * const resolver = withLookupDeadline(network.resolver, 3000);
 * await resolver.resolveMx('mandant.test'); // rejects with code ETIMEOUT after 3 s at the latest
 * ```
 */
export function withLookupDeadline(resolver: Resolver, ms: number): Resolver {
  const txt = resolver.resolveTxt?.bind(resolver);
  return {
    resolveMx: (name) => bounded(resolver.resolveMx(name), ms, 'resolveMx', name),
    resolve4: (name) => bounded(resolver.resolve4(name), ms, 'resolve4', name),
    resolve6: (name) => bounded(resolver.resolve6(name), ms, 'resolve6', name),
    ...(txt === undefined
      ? {}
      : { resolveTxt: (name: string) => bounded(txt(name), ms, 'resolveTxt', name) }),
  };
}

/**
 * The system's DNS (`node:dns`, the servers of `/etc/resolv.conf`, or `servers`) with a deadline of
 * `ms` per lookup, counted from the call. Each lookup has its own `dns.Resolver`, cancelled at the
 * deadline, so no query outlives it.
 *
 * @example
 * ```ts
 * const resolver = createSystemResolver(5000);
 * ```
 */
export function createSystemResolver(ms: number, servers?: readonly string[]): Resolver {
  const lookup = <T>(method: Method, name: string, call: (r: dns.Resolver) => Promise<T>): Promise<T> => {
    // Two tries of half the deadline each: a second server in resolv.conf gets its chance.
    const resolver = new dns.Resolver({ timeout: Math.max(1, Math.ceil(ms / 2)), tries: 2 });
    if (servers !== undefined) resolver.setServers(servers);
    return bounded(call(resolver), ms, method, name, () => resolver.cancel());
  };
  return {
    resolveMx: (name) => lookup('resolveMx', name, (r) => r.resolveMx(name)),
    resolve4: (name) => lookup('resolve4', name, (r) => r.resolve4(name)),
    resolve6: (name) => lookup('resolve6', name, (r) => r.resolve6(name)),
    resolveTxt: (name) => lookup('resolveTxt', name, (r) => r.resolveTxt(name)),
  };
}
