import { isIP } from 'node:net';
import type { ConnectHook, ConnectTarget, Resolver } from './types.js';

/** What {@link resolveConnectTarget} may use. */
export interface ConnectTargetOptions {
  /** Maps the host name to an address and port itself (tests); wins over DNS. */
  readonly connect?: ConnectHook | undefined;
  /** Looks up A, then AAAA. Without it the name itself is returned, for the system to resolve. */
  readonly resolver?: Resolver | undefined;
}

/**
 * How many addresses of one host name a delivery tries, IPv4 first, then IPv6 (Postfix's
 * `smtp_mx_address_limit` defaults to 5 as well, counted over all MX hosts).
 */
export const MAX_ADDRESSES_PER_HOST = 5;

/**
 * Every address to try for a host name (an MX host), in order and at most
 * {@link MAX_ADDRESSES_PER_HOST}: the connect hook's answer (one target or several); the host itself
 * when it is an IP address or no resolver is given; else its A records, then its AAAA records.
 * Certificates are still checked against the *name*, never the address.
 *
 * Rejects with the hook's error, or with the A lookup's error (a `node:dns` error with a `code`) when
 * neither family has an address (`ENODATA` when both lookups answered empty).
 *
 * @example
 * ```ts
 * const targets = await resolveConnectTargets('mx1.mandant.test', 25, { resolver });
 * ```
 */
export async function resolveConnectTargets(
  host: string,
  port: number,
  options: ConnectTargetOptions = {},
): Promise<ConnectTarget[]> {
  if (options.connect !== undefined) {
    const hooked = await options.connect(host, port);
    return (Array.isArray(hooked) ? [...hooked] : [hooked as ConnectTarget]).slice(0, MAX_ADDRESSES_PER_HOST);
  }
  const { resolver } = options;
  if (resolver === undefined || isIP(host) !== 0) return [{ host, port }];
  const [v4, v6] = await Promise.all([
    resolver.resolve4(host).catch((error: unknown) => error),
    resolver.resolve6(host).catch(() => []),
  ]);
  const addresses = [...(Array.isArray(v4) ? v4 : []), ...(Array.isArray(v6) ? v6 : [])]
    .filter((a): a is string => typeof a === 'string')
    .slice(0, MAX_ADDRESSES_PER_HOST);
  if (addresses.length > 0) return addresses.map((address) => ({ host: address, port }));
  throw v4 instanceof Error
    ? v4
    : Object.assign(new Error(`${host} has no A or AAAA record`), { code: 'ENODATA' });
}

/**
 * Where to open the TCP connection for a host name (the relay, a policy host, a probed MX): the
 * connect hook's (first) answer; the host itself when it is an IP address or no resolver is given;
 * else the first A record, and only when there is none the first AAAA record.
 *
 * @example
 * ```ts
 * const target = await resolveConnectTarget('relay.kanzlei.test', 587, { resolver });
 * ```
 */
export async function resolveConnectTarget(
  host: string,
  port: number,
  options: ConnectTargetOptions = {},
): Promise<ConnectTarget> {
  if (options.connect !== undefined) {
    const hooked = await options.connect(host, port);
    return Array.isArray(hooked) ? hooked[0]! : (hooked as ConnectTarget);
  }
  const { resolver } = options;
  if (resolver === undefined || isIP(host) !== 0) return { host, port };
  const v4 = await resolver.resolve4(host).catch((error: unknown) => error);
  if (Array.isArray(v4) && typeof v4[0] === 'string') return { host: v4[0], port };
  const v6 = await resolver.resolve6(host).catch(() => []);
  if (v6[0] !== undefined) return { host: v6[0], port };
  throw v4 instanceof Error
    ? v4
    : Object.assign(new Error(`${host} has no A or AAAA record`), { code: 'ENODATA' });
}
