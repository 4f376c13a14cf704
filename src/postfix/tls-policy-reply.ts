import { argumentError, ForcedTlsError, isArray, readArgument } from '../errors/index.js';
import type { TlsRequirement } from '../policy/index.js';
import { requirementArgument } from './check-arguments.js';
import { atLeast, type ParsedPostfixVersion } from './postfix-version.js';
import { POLICY_ATTRIBUTES, type PostfixTlsLevel } from './tls-policy-attributes.js';

/** One `name=value` attribute of a Postfix TLS policy. */
export interface PostfixTlsAttribute {
  /** The attribute name (`match`, `protocols`, `servername`, `ciphers`, …); unknown names are refused when written. */
  readonly name: string;
  /** Its value as Postfix reads it, e.g. `>=TLSv1.2`; not empty, no braces or control characters. */
  readonly value: string;
}

/**
 * A TLS policy table entry before it is written: a level and its attributes. Decisions of the
 * library's policy become one through {@link tlsPolicyForRequirement}; other sources (an MTA-STS
 * `enforce` policy as `secure` with `match=` names, DANE as `dane-only`, 3.10's TLSRPT attributes)
 * build one the same way and go through the same checks in {@link formatTlsPolicy}.
 */
export interface PostfixTlsPolicy {
  /** The security level, the entry's first word. */
  readonly level: PostfixTlsLevel;
  /** The attributes after the level, in the order written; empty for `may`. */
  readonly attributes: readonly PostfixTlsAttribute[];
}

/**
 * The Postfix policy that enforces a requirement of the library's policy:
 * - `may` → `may` (plaintext allowed: an unlisted or whitelisted destination);
 * - `encrypt` → `encrypt`;
 * - `verify` → `verify match=hostname` (chain and MX host name, as the transports check; the
 *   explicit `match=` keeps a wider `smtp_tls_verify_cert_match` in main.cf from applying);
 * - `fingerprint` → `fingerprint match=AB:…|CD:…` (SHA-256 certificate fingerprints, the form
 *   Postfix logs; main.cf needs `smtp_tls_fingerprint_digest = sha256`, the default from
 *   compatibility level 3.6);
 * - `qualified` → `fingerprint match=…` when the rule pins certificates, else `dane-only` with
 *   `ciphers=high`: Postfix cannot check the BSI TR-02102-2 profile per destination nor evaluate
 *   MTA-STS by itself, so a qualified destination gets the strictest authentication Postfix does on
 *   its own (DANE, with a validating resolver) and is deferred where that is not possible — never
 *   delivered less protected (docs/postfix.md, limits).
 *
 * Every TLS level adds `protocols=>=TLSv1.2` (or the stricter minimum) and `servername=hostname`
 * (SNI with the MX host name, as the transports send it).
 *
 * @example
 * ```ts
 * tlsPolicyForRequirement({ level: 'encrypt', minVersion: 'TLSv1.2', fingerprints: [] });
 * // { level: 'encrypt', attributes: [{ name: 'protocols', value: '>=TLSv1.2' }, { name: 'servername', value: 'hostname' }] }
 * ```
 */
export function tlsPolicyForRequirement(input: TlsRequirement): PostfixTlsPolicy {
  const requirement = requirementArgument('requirement', input);
  if (requirement.level === 'may') return { level: 'may', attributes: [] };
  const attributes: PostfixTlsAttribute[] = [];
  if (requirement.level === 'verify') attributes.push({ name: 'match', value: 'hostname' });
  const pinned = requirement.level === 'fingerprint' || requirement.level === 'qualified';
  if (requirement.level === 'qualified' && requirement.fingerprints.length === 0) {
    attributes.push({ name: 'ciphers', value: 'high' });
    attributes.push({ name: 'protocols', value: `>=${requirement.minVersion}` });
    attributes.push({ name: 'servername', value: 'hostname' });
    return { level: 'dane-only', attributes };
  }
  if (pinned) {
    if (requirement.fingerprints.length === 0) {
      throw new ForcedTlsError('EPOLICY', 'a fingerprint requirement without fingerprints', {
        path: 'fingerprints',
      });
    }
    attributes.push({ name: 'match', value: requirement.fingerprints.join('|') });
  }
  attributes.push({ name: 'protocols', value: `>=${requirement.minVersion}` });
  attributes.push({ name: 'servername', value: 'hostname' });
  return { level: pinned ? 'fingerprint' : requirement.level, attributes };
}

const LEVELS = ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure'] as const;

// Both arguments read once into plain copies: the level, `{ name, value }` strings, two numbers.
function checkArguments(input: unknown, release: unknown) {
  const p = readArgument('policy', input, { level: LEVELS, attributes: 'array' });
  if (p.level === undefined) throw argumentError('policy.level', undefined, LEVELS.join(', '));
  const attributes = isArray(p.attributes) ? Array.from(p.attributes as unknown[]) : [];
  const policy: PostfixTlsPolicy = {
    level: p.level as PostfixTlsPolicy['level'],
    attributes: attributes.map((a, i) => {
      const { name, value } = readArgument(`policy.attributes[${i}]`, a, { name: 'string', value: 'string' });
      if (name === undefined || value === undefined) {
        throw argumentError(`policy.attributes[${i}]`, a, '{ name, value } with two strings');
      }
      return { name: name as string, value: value as string };
    }),
  };
  const v = readArgument('version', release, { major: 'number', minor: 'number' });
  if (v.major === undefined || v.minor === undefined) {
    throw argumentError('version', release, 'a version from parsePostfixVersion()');
  }
  return { policy, version: v as unknown as ParsedPostfixVersion };
}

function invalid(why: string, value: unknown): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Not a valid Postfix TLS policy: ${why}`, { value });
}

/**
 * Writes a policy as the data of a socketmap `OK` reply, after checking it against what the
 * configured Postfix version accepts: only known attributes, each at a level that allows it,
 * single-use ones once, none newer than `version`. A value with spaces is written in Postfix's
 * `{ name = value }` form. Throws `EPOLICY` instead of writing a policy Postfix would reject.
 *
 * @example
 * ```ts
 * formatTlsPolicy(tlsPolicyForRequirement(decision), parsePostfixVersion('3.7')); // 'encrypt protocols=>=TLSv1.2 servername=hostname'
 * ```
 */
export function formatTlsPolicy(input: PostfixTlsPolicy, release: ParsedPostfixVersion): string {
  const { policy, version } = checkArguments(input, release);
  const seen = new Set<string>();
  const words: string[] = [policy.level];
  for (const { name, value } of policy.attributes) {
    const rule = Object.hasOwn(POLICY_ATTRIBUTES, name) ? POLICY_ATTRIBUTES[name] : undefined;
    if (rule === undefined) throw invalid(`unknown attribute ${name}`, name);
    if (!rule.levels.includes(policy.level)) throw invalid(`${name} is not allowed at ${policy.level}`, name);
    if (!atLeast(version, rule.since)) {
      const since = `${rule.since.major}.${rule.since.minor}`;
      throw invalid(`${name} needs Postfix ${since}, configured ${version.major}.${version.minor}`, name);
    }
    if (seen.has(name) && !rule.repeatable) throw invalid(`${name} may appear once`, name);
    seen.add(name);
    if (value === '' || /[{}\u0000-\u001f\u007f]/u.test(value)) throw invalid(`bad value for ${name}`, value);
    words.push(/[\s,]/u.test(value) ? `{ ${name} = ${value} }` : `${name}=${value}`);
  }
  return words.join(' ');
}
