import { createHash } from 'node:crypto';
import { ForcedTlsError } from '../errors/index.js';
import type { TlsRequirement } from '../policy/index.js';
import { requirementArgument } from './check-arguments.js';

/** The prefix of the generated master.cf transports unless told otherwise. */
export const DEFAULT_TRANSPORT_PREFIX = 'ftls';

const PREFIX = /^[a-z][a-z0-9-]{0,23}$/;

/** Checks a transport prefix (a master.cf service name start); throws `EPOLICY`. */
export function checkTransportPrefix(prefix: unknown, path = 'transportPrefix'): string {
  if (typeof prefix === 'string' && PREFIX.test(prefix)) return prefix;
  throw new ForcedTlsError('EPOLICY', `${path} must be lowercase letters, digits and hyphens (at most 24)`, {
    path,
    value: prefix,
  });
}

/**
 * The master.cf service name of the transport that enforces one requirement:
 * `ftls-may`, `ftls-encrypt`, `ftls-verify-tls13`, `ftls-fingerprint-1a2b3c4d` (the suffix is
 * derived from the sorted fingerprints). Equal requirements always get the same name, so the
 * transport table and the generated master.cf lines agree without sharing state.
 *
 * @example
 * ```ts
 * transportName({ level: 'verify', minVersion: 'TLSv1.3', fingerprints: [] }); // 'ftls-verify-tls13'
 * ```
 */
export function transportName(input: TlsRequirement, given = DEFAULT_TRANSPORT_PREFIX): string {
  const requirement = requirementArgument('requirement', input);
  const prefix = checkTransportPrefix(given, 'prefix');
  if (requirement.level === 'may') return `${prefix}-may`;
  let name = `${prefix}-${requirement.level}`;
  if (requirement.level === 'fingerprint') {
    const digest = createHash('sha256')
      .update([...requirement.fingerprints].sort().join('|'))
      .digest('hex');
    name += `-${digest.slice(0, 8)}`;
  }
  return requirement.minVersion === 'TLSv1.3' ? `${name}-tls13` : name;
}

/**
 * True when two requirements are enforced the same way (same transport): `may` ignores the
 * version, fingerprints compare as a set.
 *
 * @example
 * ```ts
 * sameRequirement(decision, decideDomain(policy, decision.domain)); // false: route the address apart
 * ```
 */
export function sameRequirement(left: TlsRequirement, right: TlsRequirement): boolean {
  const a = requirementArgument('a', left);
  const b = requirementArgument('b', right);
  if (a.level !== b.level) return false;
  if (a.level === 'may') return true;
  if (a.minVersion !== b.minVersion) return false;
  if (a.level !== 'fingerprint') return true;
  return [...a.fingerprints].sort().join('|') === [...b.fingerprints].sort().join('|');
}
