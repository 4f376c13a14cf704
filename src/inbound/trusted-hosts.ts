import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { describeValue, ForcedTlsError } from '../errors/index.js';
import { isArray } from '../internal/index.js';
import { ipFromLiteral } from './parse-received.js';

/** Matches Received `by` names and recorded client addresses against the host's own servers. */
export interface TrustedHostMatcher {
  /** True when a `by` value (name or address literal) is a trusted host. */
  byName(host: string | null): boolean;
  /** True when a recorded client address is trusted. Names are never enough here. */
  byIp(ip: string | null): boolean;
}

const NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

function toAscii(name: string): string {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (/^[\x20-\x7e]*$/.test(lower)) return lower;
  return domainToASCII(lower);
}

function bad(index: number, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `trustedHosts[${index}] ${describeValue(value)}: ${why}`, {
    path: `trustedHosts[${index}]`,
    value,
  });
}

/**
 * Compiles `trustedHosts`: host names (`mx1.example.de`), subdomain patterns (`*.example.de` or
 * `.example.de`), IP addresses and CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`). Throws `EPOLICY`
 * naming the first invalid entry.
 */
export function compileTrustedHosts(entries: readonly string[]): TrustedHostMatcher {
  if (!isArray(entries) || entries.length === 0) {
    throw new ForcedTlsError('EPOLICY', 'trustedHosts must be a non-empty array of host names or addresses', {
      path: 'trustedHosts',
      value: entries,
    });
  }
  const names = new Set<string>();
  const suffixes: string[] = [];
  const addresses = new BlockList();
  entries.forEach((entry, index) => {
    if (typeof entry !== 'string' || entry.trim() === '')
      throw bad(index, entry, 'not a host name or address');
    const text = entry.trim();
    const slash = text.indexOf('/');
    if (slash >= 0) {
      const ip = text.slice(0, slash);
      const bits = Number(text.slice(slash + 1));
      const family = isIP(ip);
      if (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
        throw bad(index, entry, 'not a valid CIDR range');
      }
      addresses.addSubnet(ip, bits, family === 4 ? 'ipv4' : 'ipv6');
      return;
    }
    const family = isIP(text);
    if (family !== 0) {
      addresses.addAddress(text, family === 4 ? 'ipv4' : 'ipv6');
      return;
    }
    const wildcard = text.startsWith('*.') ? 2 : text.startsWith('.') ? 1 : 0;
    const name = toAscii(text.slice(wildcard));
    if (!NAME.test(name)) throw bad(index, entry, 'not a valid host name, address or CIDR range');
    if (wildcard > 0) suffixes.push(`.${name}`);
    else names.add(name);
  });

  const byIp = (ip: string | null): boolean => {
    if (ip === null) return false;
    const family = isIP(ip);
    return family !== 0 && addresses.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
  return {
    byIp,
    byName(host) {
      if (host === null || host === '') return false;
      const literal = ipFromLiteral(host);
      if (literal !== null) return byIp(literal);
      const name = toAscii(host);
      return names.has(name) || suffixes.some((suffix) => name.endsWith(suffix));
    },
  };
}
