import { stringsArgument } from '../errors/index.js';
import type { MtaStsResolution } from '../mta-sts/index.js';
import type { TlsRequirement } from '../policy/index.js';
import { atLeast, type ParsedPostfixVersion } from './postfix-version.js';
import type { PostfixTlsAttribute, PostfixTlsPolicy } from './tls-policy-reply.js';

// Words Postfix reads as instructions in a `match=` list of level `secure`, never as host names.
const MATCH_KEYWORDS: ReadonlySet<string> = new Set(['hostname', 'nexthop', 'dot-nexthop']);
const TLSRPT_SINCE = { major: 3, minor: 10 };
// A policy line Postfix could not carry inside `{ policy_string = … }`.
const UNWRITABLE = /[{}\u0000-\u001f\u007f]/u;

/**
 * The `match=` names of Postfix level `secure` for the `mx` patterns of an MTA-STS policy: a host
 * name stays as it is, `*.example.com` becomes `.example.com`. Postfix's `.example.com` matches a
 * certificate name at any depth below example.com (`a.b.example.com` too), wider than MTA-STS's
 * wildcard of exactly one label (docs/postfix.md, limits). A pattern that is one of Postfix's match
 * keywords (`hostname`, `nexthop`, `dot-nexthop`) is dropped: Postfix would not read it as a name.
 * Anything but an array of strings throws `EPOLICY`.
 *
 * @example
 * ```ts
 * postfixMatchNames(['mx1.mandant.de', '*.mx.mandant.de']); // ['mx1.mandant.de', '.mx.mandant.de']
 * ```
 */
export function postfixMatchNames(patterns: readonly string[]): string[] {
  const names: string[] = [];
  for (const raw of stringsArgument('patterns', patterns)) {
    const pattern = raw.toLowerCase();
    if (MATCH_KEYWORDS.has(pattern)) continue;
    const name = pattern.startsWith('*.') ? pattern.slice(1) : pattern;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The TLSRPT attributes of Postfix 3.10 for an MTA-STS answer (TLSRPT_README: `policy_type=sts`,
 * `policy_domain`, `policy_ttl`, one `mx_host_pattern` per pattern, one `policy_string` per policy
 * line). `policy_ttl` is the seconds the applied policy stays valid: how long Postfix may keep the
 * answer. A line Postfix could not carry (braces, control characters) is left out of
 * `policy_string`. Empty for any release before 3.10, which refuses these attributes.
 *
 * @example
 * ```ts
 * tlsRptAttributes(resolution, parsePostfixVersion('3.10'), now); // [{ name: 'policy_type', value: 'sts' }, …]
 * ```
 */
export function tlsRptAttributes(
  resolution: MtaStsResolution,
  version: ParsedPostfixVersion,
  now: Date,
): PostfixTlsAttribute[] {
  const policy = resolution.policy;
  if (!atLeast(version, TLSRPT_SINCE) || policy === undefined) return [];
  const expires = resolution.expiresAt === undefined ? now.getTime() : Date.parse(resolution.expiresAt);
  const ttl = Math.max(0, Math.floor((expires - now.getTime()) / 1000));
  return [
    { name: 'policy_type', value: 'sts' },
    { name: 'policy_domain', value: resolution.domain },
    { name: 'policy_ttl', value: String(ttl) },
    ...policy.mx.map((value) => ({ name: 'mx_host_pattern', value })),
    ...policy.lines
      .filter((line) => !UNWRITABLE.test(line))
      .map((value) => ({ name: 'policy_string', value })),
  ];
}

/**
 * Postfix level `secure` for an MTA-STS `enforce` policy: `match=` the policy's MX patterns (see
 * {@link postfixMatchNames}), `protocols=` the requirement's minimum (MTA-STS itself needs TLS 1.2),
 * `servername=hostname`, `ciphers=high` for level `qualified`, and for Postfix 3.10 and later the
 * TLSRPT attributes. `undefined` when no pattern is left for Postfix to match.
 *
 * @example
 * ```ts
 * mtaStsSecurePolicy(requirement, resolution, parsePostfixVersion('3.7'), new Date());
 * // { level: 'secure', attributes: [{ name: 'match', value: 'mx1.mandant.de:.mx.mandant.de' }, …] }
 * ```
 */
export function mtaStsSecurePolicy(
  requirement: TlsRequirement,
  resolution: MtaStsResolution,
  version: ParsedPostfixVersion,
  now: Date,
): PostfixTlsPolicy | undefined {
  const names = postfixMatchNames(resolution.policy?.mx ?? []);
  if (names.length === 0) return undefined;
  const attributes: PostfixTlsAttribute[] = [{ name: 'match', value: names.join(':') }];
  if (requirement.level === 'qualified') attributes.push({ name: 'ciphers', value: 'high' });
  attributes.push({ name: 'protocols', value: `>=${requirement.minVersion}` });
  attributes.push({ name: 'servername', value: 'hostname' });
  attributes.push(...tlsRptAttributes(resolution, version, now));
  return { level: 'secure', attributes };
}
