import { errorCode } from '../internal/error-code.js';
import type { MxRecord, Resolver } from './types.js';

/**
 * How the mail hosts of a domain were found, or why there are none:
 * `mx` (MX records), `a_fallback` (no MX, the domain's own A/AAAA record, RFC 5321 §5.1),
 * `null_mx` (RFC 7505: accepts no mail), `nxdomain` (the domain does not exist),
 * `no_mail_server` (neither MX nor address), `dns_error` (a lookup failed: timeout, SERVFAIL, …).
 */
export type MailHostResolution =
  | 'mx'
  | 'a_fallback'
  | 'null_mx'
  | 'nxdomain'
  | 'no_mail_server'
  | 'dns_error';

/** One mail host: a lowercase name without trailing dot, and its MX preference (none for the A fallback). */
export interface MailHost {
  readonly host: string;
  readonly priority: number | undefined;
}

/** The mail hosts of a domain in the order a sender tries them, and how they were found. */
export interface MailHosts {
  readonly resolution: MailHostResolution;
  readonly hosts: readonly MailHost[];
  /** The DNS error code (`ETIMEOUT`, `ESERVFAIL`, `ENOTFOUND`, …) for `dns_error` and `nxdomain`. */
  readonly dnsError?: string;
}

/** Options of {@link resolveMailHosts}. */
export interface MailHostOptions {
  /**
   * Random source for the order of equal-preference MX hosts (RFC 5321 §5.1). Without it equal
   * preferences keep the DNS answer's order.
   * @default undefined (stable order)
   */
  readonly random?: () => number;
}

const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);

function hostName(exchange: string): string {
  return exchange.trim().toLowerCase().replace(/\.$/, '');
}

/** Fisher–Yates within each run of equal preference; the runs stay in preference order. */
function shuffleTies(hosts: MailHost[], random: () => number): MailHost[] {
  let start = 0;
  while (start < hosts.length) {
    let end = start + 1;
    while (end < hosts.length && hosts[end]!.priority === hosts[start]!.priority) end++;
    for (let i = end - 1; i > start; i--) {
      const j = start + Math.floor(random() * (i - start + 1));
      [hosts[i], hosts[j]] = [hosts[j]!, hosts[i]!];
    }
    start = end;
  }
  return hosts;
}

// RFC 5321 §5.1: without MX records the domain itself is the mail host, if it has an address.
async function addressFallback(domain: string, resolver: Resolver): Promise<MailHosts> {
  const lookups = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
  if (lookups.some((l) => l.status === 'fulfilled' && l.value.length > 0)) {
    return { resolution: 'a_fallback', hosts: [{ host: domain, priority: undefined }] };
  }
  const failure = lookups
    .map((l) => (l.status === 'rejected' ? (errorCode(l.reason) ?? 'EUNKNOWN') : 'ENODATA'))
    .find((c) => !NO_RECORD.has(c));
  if (failure !== undefined) return { resolution: 'dns_error', hosts: [], dnsError: failure };
  return { resolution: 'no_mail_server', hosts: [] };
}

/**
 * Finds the mail hosts of an already normalized `domain`: MX records sorted by preference (equal
 * preferences shuffled with `options.random`, else stable), names lowercased without trailing dot and
 * each tried once; a null MX (exchange `.`, which `node:dns` returns as `''`); the A/AAAA fallback when
 * there is no MX; or why there are none. Never rejects: DNS failures become a `resolution`.
 *
 * @example
 * ```ts
 * const found = await resolveMailHosts(createNodeResolver(), 'mandant.test');
 * if (found.resolution === 'no_mail_server') console.log('nobody receives mail there');
 * ```
 */
export async function resolveMailHosts(
  resolver: Resolver,
  domain: string,
  options: MailHostOptions = {},
): Promise<MailHosts> {
  let records: MxRecord[];
  try {
    records = await resolver.resolveMx(domain);
  } catch (error) {
    const code = errorCode(error) ?? 'EUNKNOWN';
    if (code === 'ENODATA') return addressFallback(domain, resolver);
    if (code === 'ENOTFOUND') return { resolution: 'nxdomain', hosts: [], dnsError: code };
    return { resolution: 'dns_error', hosts: [], dnsError: code };
  }
  if (records.length === 0) return addressFallback(domain, resolver);
  const real = records.filter((r) => hostName(r.exchange) !== '');
  if (real.length === 0) return { resolution: 'null_mx', hosts: [] };
  const seen = new Set<string>();
  const sorted = real
    .map((r, index) => ({ host: hostName(r.exchange), priority: r.priority, index }))
    .sort((a, b) => a.priority - b.priority || a.index - b.index)
    .filter((h) => !seen.has(h.host) && seen.add(h.host) !== undefined)
    .map(({ host, priority }): MailHost => ({ host, priority }));
  const { random } = options;
  return { resolution: 'mx', hosts: random === undefined ? sorted : shuffleTies(sorted, random) };
}
