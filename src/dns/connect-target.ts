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
 * Where to open the TCP connection for a host name (an MX or relay host): the connect hook's answer;
 * the host itself when it is an IP address or no resolver is given; else the first A record, then the
 * first AAAA record. Certificates are still checked against the *name*, never the address.
 *
 * Rejects with the hook's error, or with the A lookup's error (a `node:dns` error with a `code`) when
 * neither family has an address (`ENODATA` when both lookups answered empty).
 *
 * @example
 * ```ts
 * const target = await resolveConnectTarget('mx1.mandant.test', 25, { resolver });
 * ```
 */
export async function resolveConnectTarget(
  host: string,
  port: number,
  options: ConnectTargetOptions = {},
): Promise<ConnectTarget> {
  if (options.connect !== undefined) return options.connect(host, port);
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
