import { readArgument } from '../errors/index.js';
import type { Policy, TlsRequirement } from '../policy/index.js';
import { policyArgument } from './check-arguments.js';
import { atLeast, DEFAULT_POSTFIX_VERSION, parsePostfixVersion } from './postfix-version.js';
import { tlsPolicyForRequirement } from './tls-policy-reply.js';
import { checkTransportPrefix, DEFAULT_TRANSPORT_PREFIX, transportName } from './transport-names.js';

/** Options of {@link masterCfTransports}. */
export interface MasterCfOptions {
  /** @default 'ftls' */
  readonly transportPrefix?: string;
  /** The chroot column; use the one of your `smtp` line. @default 'n' */
  readonly chroot?: 'y' | 'n' | '-';
  /** @default '3.7' */
  readonly postfixVersion?: string;
}

const SETTING_FIELDS = { transportPrefix: 'any', chroot: ['y', 'n', '-'], postfixVersion: 'any' } as const;
const MAY: TlsRequirement = { level: 'may', minVersion: 'TLSv1.2', fingerprints: [] };

/**
 * Every requirement the transport table can route to for this policy, `may` first: those of the
 * outbound address rules, and `may` for address whitelist entries.
 *
 * @example
 * ```ts
 * routedRequirements(policy).map((r) => transportName(r)); // ['ftls-may', 'ftls-verify-tls13']
 * ```
 */
export function routedRequirements(input: Policy): TlsRequirement[] {
  const policy = policyArgument('policy', input);
  const found = new Map<string, TlsRequirement>([[transportName(MAY), MAY]]);
  for (const rule of policy.rules) {
    if (rule.direction !== 'outbound' || rule.scope !== 'address') continue;
    const requirement = { level: rule.level, minVersion: rule.minVersion, fingerprints: rule.fingerprints };
    found.set(transportName(requirement), requirement);
  }
  return [...found.values()];
}

function options(requirement: TlsRequirement, withServername: boolean): string[] {
  // The same mapping as the policy table's (a `qualified` rule becomes `fingerprint` or `dane-only`).
  const level = tlsPolicyForRequirement(requirement).level;
  const o = [`smtp_tls_security_level=${level}`];
  if (level === 'verify') o.push('smtp_tls_verify_cert_match=hostname');
  if (level === 'dane-only') o.push('smtp_tls_mandatory_ciphers=high');
  if (level === 'fingerprint') {
    o.push('smtp_tls_fingerprint_digest=sha256');
    o.push(`smtp_tls_fingerprint_cert_match=${requirement.fingerprints.join(',')}`);
  }
  if (requirement.level !== 'may') {
    o.push(`smtp_tls_mandatory_protocols=>=${requirement.minVersion}`);
    if (withServername) o.push('smtp_tls_servername=hostname');
  }
  // No policy table in these transports: their level is the recipient's, not the next-hop's.
  o.push('smtp_tls_policy_maps=');
  return o;
}

/**
 * The master.cf lines of the transports the transport table routes to: one `smtp` service per
 * requirement an address rule or an address whitelist entry of this policy can produce, each with
 * its own `smtp_tls_security_level` and no TLS policy table. A requirement added by a later policy
 * needs its line too; until then Postfix defers those recipients ("unknown mail transport").
 *
 * @example
 * ```ts
 * masterCfTransports(policy);
 * // ftls-may unix - - n - - smtp
 * //   -o syslog_name=postfix/ftls-may
 * //   -o smtp_tls_security_level=may
 * //   -o smtp_tls_policy_maps=
 * // ftls-verify unix - - n - - smtp …
 * ```
 */
export function masterCfTransports(policy: Policy, input: MasterCfOptions = {}): string {
  policyArgument('policy', policy);
  const settings = readArgument('settings', input, SETTING_FIELDS, { optional: true }) as MasterCfOptions;
  const prefix = checkTransportPrefix(settings.transportPrefix ?? DEFAULT_TRANSPORT_PREFIX);
  const version = parsePostfixVersion(settings.postfixVersion ?? DEFAULT_POSTFIX_VERSION);
  const chroot = settings.chroot ?? 'n';
  const servername = atLeast(version, { major: 3, minor: 4 });
  const lines = ['# forced-tls: recipients with a TLS requirement of their own (transport_maps)'];
  for (const requirement of routedRequirements(policy)) {
    const name = transportName(requirement, prefix);
    lines.push(`${name} unix - - ${chroot} - - smtp`);
    // Log lines name the transport (postfix/ftls-verify/smtp), so a split delivery is visible.
    lines.push(`  -o syslog_name=postfix/${name}`);
    for (const option of options(requirement, servername)) lines.push(`  -o ${option}`);
  }
  return `${lines.join('\n')}\n`;
}
