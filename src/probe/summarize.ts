import { describeValue, ForcedTlsError } from '../errors/index.js';
import { isArray, isRecord } from '../internal/index.js';
import {
  TLS_VERSIONS,
  type TlsFacts,
  type TlsLevel,
  type TlsVersion,
  tlsShortfall,
} from '../policy/index.js';
import type { HostProbe, ProbeLevels, ProbeStatus } from './types.js';

/** Statuses of a host that did establish TLS (whatever its certificate): enough for `encrypt`. */
export const ENCRYPTED_STATUSES: ReadonlySet<ProbeStatus> = new Set<ProbeStatus>([
  'starttls_ok',
  'cert_invalid',
  'cert_expired',
  'cert_name_mismatch',
]);

/**
 * What a probed host achieved, as the policy's TLS judgement (`tlsShortfall`) reads it: the protocol
 * only for a host that finished the handshake, `certificateVerified` for `starttls_ok` (chain verified,
 * name matches the MX host, not expired), and the certificate's fingerprint.
 */
export function hostTlsFacts(host: HostProbe): TlsFacts {
  const encrypted = ENCRYPTED_STATUSES.has(host.status);
  return {
    protocol: encrypted ? host.protocol : undefined,
    certificateVerified: host.status === 'starttls_ok',
    fingerprint256: encrypted ? host.certificate?.fingerprint256 : undefined,
  };
}

/**
 * The levels a domain satisfies. A sender may land on any of the domain's MX hosts (the first may be
 * down tomorrow), so a level holds only if **every** host satisfies it, and never for a domain without
 * hosts. `qualified`: every host's tier is `qualified` and none is refused by the recipient's DANE or
 * MTA-STS policy (a host without a tier never is).
 *
 * @example
 * ```ts
 * satisfiedLevels(result.hosts); // { encrypt: true, verify: true, qualified: false }
 * ```
 */
export function satisfiedLevels(
  hosts: readonly HostProbe[],
  minVersion: TlsVersion = 'TLSv1.2',
): ProbeLevels {
  if (!allRecords(hosts)) {
    throw new ForcedTlsError(
      'EPOLICY',
      `satisfiedLevels: hosts ${describeValue(hosts)} must be host probes`,
      {
        path: 'hosts',
        value: typeof hosts,
      },
    );
  }
  if (!TLS_VERSIONS.includes(minVersion)) {
    throw new ForcedTlsError(
      'EPOLICY',
      `satisfiedLevels: minVersion ${describeValue(minVersion)} is no TLS version`,
      {
        path: 'minVersion',
        value: minVersion,
      },
    );
  }
  const holds = (level: TlsLevel) =>
    hosts.length > 0 &&
    hosts.every((h) => tlsShortfall(hostTlsFacts(h), { level, minVersion, fingerprints: [] }) === undefined);
  const qualified =
    hosts.length > 0 && hosts.every((h) => h.tier?.tier === 'qualified' && h.refused === undefined);
  return { encrypt: holds('encrypt'), verify: holds('verify'), qualified };
}

/** Every certificate fingerprint seen, without duplicates, in host order. */
export function seenFingerprints(hosts: readonly HostProbe[]): string[] {
  return [...new Set(hosts.flatMap((h) => (h.certificate ? [h.certificate.fingerprint256] : [])))];
}

// Not a type guard: the hosts keep their declared type once they passed.
function allRecords(hosts: unknown): boolean {
  return isArray(hosts) && hosts.every((h) => isRecord(h));
}
