import { ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import { normalizeDomain } from '../policy/index.js';
import { recordOption } from './check-arguments.js';
import { parseNextHop } from './next-hop.js';

/**
 * Checks a `nextHops` option: next-hop keys (as in Postfix's transport table, e.g.
 * `[10.0.0.5]:25`) mapped to the recipient domain whose decision applies to them. Returns the map
 * keyed by canonical next-hop. Throws `EPOLICY` naming the bad key or domain.
 */
export function compileNextHops(
  nextHops: Readonly<Record<string, string>> | undefined,
  path = 'nextHops',
): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (nextHops === undefined) return map;
  if (typeof nextHops !== 'object' || nextHops === null) {
    throw new ForcedTlsError('EPOLICY', `${path} must be an object of next-hop → domain`, { path });
  }
  for (const [key, domain] of recordOption(path, nextHops)) {
    const hop = parseNextHop(key);
    if (hop.kind === 'invalid' || hop.kind === 'subdomains') {
      const why = hop.kind === 'invalid' ? hop.reason : 'a .parent key is no next-hop';
      throw new ForcedTlsError('EPOLICY', `${path}: ${JSON.stringify(key)} is not a next-hop (${why})`, {
        path: `${path}.${key}`,
        value: key,
      });
    }
    try {
      map.set(hop.canonical, normalizeDomain(domain as string));
    } catch (error) {
      if (!isForcedTlsError(error)) throw error;
      throw new ForcedTlsError('EPOLICY', `${path}.${key}: ${error.message}`, {
        path: `${path}.${key}`,
        value: domain,
        cause: error,
      });
    }
  }
  return map;
}
