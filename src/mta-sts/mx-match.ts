import { stringArgument, stringsArgument } from '../errors/index.js';

function hostName(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * The first pattern of an MTA-STS policy that the MX host name matches (RFC 8461 §4.1), or
 * `undefined`. A pattern is a host name (equal, ignoring case and a trailing dot on the host) or
 * `*.` and a domain, which matches a host with exactly one further, non-empty label on the left:
 * `*.example.com` matches `mail.example.com`, not `example.com` or `foo.bar.example.com`. Pure.
 * Throws `EADDRESS` for a host that is not a string, `EPOLICY` for patterns that are not strings.
 *
 * @example
 * ```ts
 * matchingMxPattern('a.mx.mandant.test', ['mx1.mandant.test', '*.mx.mandant.test']); // '*.mx.mandant.test'
 * ```
 */
export function matchingMxPattern(host: string, list: readonly string[]): string | undefined {
  const name = hostName(stringArgument('host', host, 'EADDRESS'));
  const patterns = stringsArgument('patterns', list);
  const dot = name.indexOf('.');
  const parent = dot > 0 ? name.slice(dot + 1) : undefined;
  for (const raw of patterns) {
    const pattern = raw.toLowerCase();
    if (pattern.startsWith('*.')) {
      if (parent !== undefined && parent === pattern.slice(2)) return raw;
    } else if (pattern === name) {
      return raw;
    }
  }
  return undefined;
}

/**
 * Whether the MX host name matches one of the policy's `mx` patterns (see {@link matchingMxPattern}).
 *
 * @example
 * ```ts
 * mxMatches('mail.example.com', ['*.example.com']);     // true
 * mxMatches('foo.bar.example.com', ['*.example.com']);  // false: the wildcard covers one label
 * ```
 */
export function mxMatches(host: string, patterns: readonly string[]): boolean {
  return matchingMxPattern(host, patterns) !== undefined;
}
