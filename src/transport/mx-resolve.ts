import { resolveConnectTarget } from '../dns/connect-target.js';
import { type MailHosts, resolveMailHosts } from '../dns/mail-hosts.js';
import type { ConnectHook, Resolver } from '../dns/types.js';
import { errorCode } from '../internal/error-code.js';
import type { Classified } from './classify-error.js';

/** The hosts to try for a domain, in order, or why there are none. */
export type MxHosts = { readonly hosts: readonly string[] } | { readonly failure: Classified };

function dnsFailure(code: Classified['code'], transient: boolean, message: string): { failure: Classified } {
  return { failure: { code, phase: 'dns', transient, untrusted: false, message } };
}

/** Maps a resolution without hosts to the refusal a sender reports. */
function failureOf(domain: string, found: MailHosts): { failure: Classified } {
  switch (found.resolution) {
    case 'null_mx':
      return dnsFailure('ENULLMX', false, `${domain} publishes a null MX: it accepts no mail`);
    case 'nxdomain':
      return dnsFailure('ENOMX', false, `${domain} does not exist`);
    case 'no_mail_server':
      return dnsFailure('ENOMX', false, `${domain} has neither an MX nor an A/AAAA record`);
    default: {
      const code = found.dnsError ?? 'EUNKNOWN';
      const timeout = code === 'ETIMEOUT';
      return dnsFailure(timeout ? 'ETIMEOUT' : 'ECONNECT', true, `MX lookup for ${domain} failed: ${code}`);
    }
  }
}

/**
 * The MX hosts of a domain for delivery (see `resolveMailHosts`: sorted by preference, equal
 * preferences in random order, each host once), or the refusal: a null MX (`ENULLMX`), a domain
 * that does not exist or has neither MX nor address (`ENOMX`) are permanent; a failed lookup is
 * transient (`ETIMEOUT`, else `ECONNECT`).
 */
export async function resolveMxHosts(
  resolver: Resolver,
  domain: string,
  random: () => number = Math.random,
): Promise<MxHosts> {
  const found = await resolveMailHosts(resolver, domain, { random });
  if (found.hosts.length === 0) return failureOf(domain, found);
  return { hosts: found.hosts.map((h) => h.host) };
}

/** Where to connect for a host name (see `resolveConnectTarget`), or a transient `ECONNECT` at `dns`. */
export async function resolveTarget(
  host: string,
  port: number,
  resolver: Resolver,
  connect: ConnectHook | undefined,
): Promise<{ address: string; port: number } | { failure: Classified }> {
  try {
    const target = await resolveConnectTarget(host, port, { resolver, connect });
    return { address: target.host, port: target.port };
  } catch (error) {
    const code = errorCode(error);
    const why = code === undefined ? String(error) : `${host} has no address (${code})`;
    return dnsFailure('ECONNECT', true, why);
  }
}
