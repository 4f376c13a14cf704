import { promises as dns } from 'node:dns';
import type { Resolver } from './types.js';

/** The default resolver: the system's DNS through `node:dns`. */
export function createNodeResolver(): Resolver {
  const resolver = new dns.Resolver();
  return {
    resolveMx: (domain) => resolver.resolveMx(domain),
    resolve4: (host) => resolver.resolve4(host),
    resolve6: (host) => resolver.resolve6(host),
    resolveTxt: (name) => resolver.resolveTxt(name),
  };
}
