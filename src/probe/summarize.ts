import type { HostProbe, ProbeLevels, ProbeStatus } from './types.js';

/** Statuses of a host that did establish TLS (whatever its certificate): enough for `encrypt`. */
export const ENCRYPTED_STATUSES: ReadonlySet<ProbeStatus> = new Set<ProbeStatus>([
  'starttls_ok',
  'cert_invalid',
  'cert_expired',
  'cert_name_mismatch',
]);

/**
 * The levels a domain satisfies. A sender may land on any of the domain's MX hosts (the first may be
 * down tomorrow), so a level holds only if **every** host satisfies it, and never for a domain without
 * hosts.
 */
export function satisfiedLevels(hosts: readonly HostProbe[]): ProbeLevels {
  if (hosts.length === 0) return { encrypt: false, verify: false };
  return {
    encrypt: hosts.every((h) => ENCRYPTED_STATUSES.has(h.status)),
    verify: hosts.every((h) => h.status === 'starttls_ok'),
  };
}

/** Every certificate fingerprint seen, without duplicates, in host order. */
export function seenFingerprints(hosts: readonly HostProbe[]): string[] {
  return [...new Set(hosts.flatMap((h) => (h.certificate ? [h.certificate.fingerprint256] : [])))];
}
