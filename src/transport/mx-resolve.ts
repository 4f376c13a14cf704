import { isIP } from 'node:net';
import type { ConnectHook, Resolver } from '../dns/types.js';
import type { Classified } from './classify-error.js';

/** The hosts to try for a domain, in order, or why there are none. */
export type MxHosts = { readonly hosts: readonly string[] } | { readonly failure: Classified };

function dnsCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function dnsFailure(domain: string, error: unknown): Classified {
  const code = dnsCode(error);
  if (code === 'ENOTFOUND') {
    return {
      code: 'ENOMX',
      phase: 'dns',
      transient: false,
      untrusted: false,
      message: `${domain} does not exist`,
    };
  }
  const timeout = code === 'ETIMEOUT';
  return {
    code: timeout ? 'ETIMEOUT' : 'ECONNECT',
    phase: 'dns',
    transient: true,
    untrusted: false,
    message: `MX lookup for ${domain} failed: ${code ?? String(error)}`,
  };
}

/** Fisher–Yates over a slice, with an injectable random source for tests. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * The MX hosts of a domain, sorted by preference, equal preferences in random order (RFC 5321 §5.1).
 * No MX record (`ENODATA`) means the domain itself is the mail host (the A/AAAA fallback); a null MX
 * (RFC 7505) or a domain that does not exist means nobody receives mail there (permanent).
 */
export async function resolveMxHosts(
  resolver: Resolver,
  domain: string,
  random = Math.random,
): Promise<MxHosts> {
  let records: { exchange: string; priority: number }[];
  try {
    records = await resolver.resolveMx(domain);
  } catch (error) {
    if (dnsCode(error) === 'ENODATA') return { hosts: [domain] };
    return { failure: dnsFailure(domain, error) };
  }
  if (records.length === 0) return { hosts: [domain] };
  const exchanges = records.filter((r) => r.exchange !== '' && r.exchange !== '.');
  if (exchanges.length === 0) {
    return {
      failure: {
        code: 'ENULLMX',
        phase: 'dns',
        transient: false,
        untrusted: false,
        message: `${domain} publishes a null MX: it accepts no mail`,
      },
    };
  }
  const byPriority = new Map<number, string[]>();
  for (const r of exchanges) byPriority.set(r.priority, [...(byPriority.get(r.priority) ?? []), r.exchange]);
  const priorities = [...byPriority.keys()].sort((a, b) => a - b);
  return { hosts: priorities.flatMap((p) => shuffle(byPriority.get(p)!, random)) };
}

/** Where to connect for a host name: the connect hook, the host itself when it is an IP, or A/AAAA. */
export async function resolveTarget(
  host: string,
  port: number,
  resolver: Resolver,
  connect: ConnectHook | undefined,
): Promise<{ address: string; port: number } | { failure: Classified }> {
  if (connect) {
    const target = await connect(host, port);
    return { address: target.host, port: target.port };
  }
  if (isIP(host) !== 0) return { address: host, port };
  for (const lookup of [resolver.resolve4, resolver.resolve6]) {
    try {
      const addresses = await lookup.call(resolver, host);
      if (addresses[0] !== undefined) return { address: addresses[0], port };
    } catch {
      // try the other family
    }
  }
  return {
    failure: {
      code: 'ECONNECT',
      phase: 'dns',
      transient: true,
      untrusted: false,
      message: `${host} has no A or AAAA record`,
    },
  };
}
