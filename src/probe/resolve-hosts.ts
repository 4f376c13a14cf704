import type { Resolver } from '../dns/types.js';
import type { ProbeResolution } from './types.js';

/** The mail hosts of a domain, in the order a sender tries them. */
export interface MailHosts {
  readonly resolution: ProbeResolution;
  readonly hosts: readonly { readonly host: string; readonly priority: number | undefined }[];
  readonly dnsError?: string;
}

const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

function hostName(exchange: string): string {
  return exchange.toLowerCase().replace(/\.$/, '');
}

// RFC 5321 §5.1: without MX records the domain itself is the mail host, if it has an address.
async function addressFallback(domain: string, resolver: Resolver): Promise<MailHosts> {
  const lookups = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
  if (lookups.some((l) => l.status === 'fulfilled' && l.value.length > 0)) {
    return { resolution: 'a_fallback', hosts: [{ host: domain, priority: undefined }] };
  }
  const failure = lookups
    .map((l) => (l.status === 'rejected' ? codeOf(l.reason) : 'ENODATA'))
    .find((c) => !NO_RECORD.has(c));
  if (failure !== undefined) return { resolution: 'dns_error', hosts: [], dnsError: failure };
  return { resolution: 'no_mail_server', hosts: [] };
}

/**
 * Finds the mail hosts of `domain`: MX records sorted by preference (stable among equals), the A/AAAA
 * fallback, a null MX (RFC 7505: exchange `.`, which `node:dns` returns as `''`), or why there are none.
 */
export async function resolveMailHosts(domain: string, resolver: Resolver): Promise<MailHosts> {
  let records: Awaited<ReturnType<Resolver['resolveMx']>>;
  try {
    records = await resolver.resolveMx(domain);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENODATA') return addressFallback(domain, resolver);
    if (code === 'ENOTFOUND') return { resolution: 'nxdomain', hosts: [], dnsError: code };
    return { resolution: 'dns_error', hosts: [], dnsError: code };
  }
  if (records.length === 0) return addressFallback(domain, resolver);
  const real = records.filter((r) => hostName(r.exchange) !== '');
  if (real.length === 0) return { resolution: 'null_mx', hosts: [] };
  const seen = new Set<string>();
  const hosts = real
    .map((r, index) => ({ host: hostName(r.exchange), priority: r.priority, index }))
    .sort((a, b) => a.priority - b.priority || a.index - b.index)
    .filter((h) => !seen.has(h.host) && seen.add(h.host) !== undefined)
    .map(({ host, priority }) => ({ host, priority }));
  return { resolution: 'mx', hosts };
}
