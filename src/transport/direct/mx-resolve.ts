import { resolveConnectTargets } from '../../dns/connect-target.js';
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

/**
 * Every address to try for a host name, in order (see `resolveConnectTargets`: IPv4, then IPv6, at most
 * five), or a transient `ECONNECT` at `dns`.
 */
export async function resolveTargets(
  host: string,
  port: number,
  resolver: Resolver,
  connect: ConnectHook | undefined,
): Promise<{ targets: { address: string; port: number }[] } | { failure: Refusal }> {
  try {
    const targets = await resolveConnectTargets(host, port, { resolver, connect });
    return { targets: targets.map((t) => ({ address: t.host, port: t.port })) };
  } catch (error) {
    const refused = addressRefusal(host, error);
    return { failure: refusal(refused.code, 'dns', refused.message) };
  }
}
