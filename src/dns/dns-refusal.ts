import type { RecipientCode } from '../errors/codes.js';
import { errorCode } from '../internal/error-code.js';
import type { MailHosts } from './mail-hosts.js';

/** Why mail for a domain or host cannot be sent, as far as DNS is concerned: a recipient code and why. */
export interface DnsRefusal {
  readonly code: Extract<RecipientCode, 'ENULLMX' | 'ENOMX' | 'ETIMEOUT' | 'ECONNECT'>;
  readonly message: string;
}

/**
 * The one mapping of DNS outcomes to recipient codes, shared by the transports and the probe: a null
 * MX is `ENULLMX`, a domain that does not exist or has neither MX nor address is `ENOMX` (both
 * permanent); a failed lookup is `ETIMEOUT` when it timed out, else `ECONNECT` (both transient).
 * `undefined` when the domain has mail hosts.
 *
 * @example
 * ```ts
 * mailHostsRefusal('gone.test', { resolution: 'nxdomain', hosts: [] }); // { code: 'ENOMX', … }
 * ```
 */
export function mailHostsRefusal(
  domain: string,
  found: Pick<MailHosts, 'resolution' | 'dnsError'>,
): DnsRefusal | undefined {
  switch (found.resolution) {
    case 'mx':
    case 'a_fallback':
      return undefined;
    case 'null_mx':
      return { code: 'ENULLMX', message: `${domain} publishes a null MX: it accepts no mail` };
    case 'nxdomain':
      return { code: 'ENOMX', message: `${domain} does not exist` };
    case 'no_mail_server':
      return { code: 'ENOMX', message: `${domain} has neither an MX nor an A/AAAA record` };
    case 'dns_error':
      return lookupFailure(`MX lookup for ${domain}`, found.dnsError);
  }
}

/**
 * A host name without an address (the A/AAAA lookup of an MX or relay host failed or was empty):
 * `ECONNECT`, transient — the host cannot be reached now, whatever the lookup said.
 */
export function addressRefusal(host: string, error: unknown): DnsRefusal {
  const code = errorCode(error);
  return {
    code: 'ECONNECT',
    message: code === undefined ? String(error) : `${host} has no address (${code})`,
  };
}

function lookupFailure(what: string, dnsError: string | undefined): DnsRefusal {
  const code = dnsError ?? 'EUNKNOWN';
  return { code: code === 'ETIMEOUT' ? 'ETIMEOUT' : 'ECONNECT', message: `${what} failed: ${code}` };
}
