import { resolveConnectTarget } from '../../dns/connect-target.js';
import { addressRefusal, mailHostsRefusal } from '../../dns/dns-refusal.js';
import { resolveMailHosts } from '../../dns/mail-hosts.js';
import type { ConnectHook, Resolver } from '../../dns/types.js';
import { type Refusal, refusal } from '../refusal.js';

/** The hosts to try for a domain, in order, or why there are none. */
export type MxHosts = { readonly hosts: readonly string[] } | { readonly failure: Refusal };

/**
 * The MX hosts of a domain for delivery (see `resolveMailHosts`: sorted by preference, equal
 * preferences in random order, each host once), or the refusal at `dns` (see `mailHostsRefusal`: a
 * null MX, a domain that does not exist or has neither MX nor address are permanent; a failed lookup
 * is transient).
 */
export async function resolveMxHosts(
  resolver: Resolver,
  domain: string,
  random: () => number = Math.random,
): Promise<MxHosts> {
  const found = await resolveMailHosts(resolver, domain, { random });
  const refused = mailHostsRefusal(domain, found);
  if (refused !== undefined) return { failure: refusal(refused.code, 'dns', refused.message) };
  return { hosts: found.hosts.map((h) => h.host) };
}

/** Where to connect for a host name (see `resolveConnectTarget`), or a transient `ECONNECT` at `dns`. */
export async function resolveTarget(
  host: string,
  port: number,
  resolver: Resolver,
  connect: ConnectHook | undefined,
): Promise<{ address: string; port: number } | { failure: Refusal }> {
  try {
    const target = await resolveConnectTarget(host, port, { resolver, connect });
    return { address: target.host, port: target.port };
  } catch (error) {
    const refused = addressRefusal(host, error);
    return { failure: refusal(refused.code, 'dns', refused.message) };
  }
}
