import type { RecipientCode } from '../errors/index.js';
import type { HostProbe, ProbeStatus } from '../probe/index.js';

/**
 * The library's recipient code for each probe status: `check` reports a host in the words a refused
 * delivery would use (`ENOSTARTTLS`, `ETIMEOUT`, `ECONNECT`, …), not the socket's (`ETIMEDOUT`,
 * `ECONNREFUSED`), which stay in the detail.
 */
const STATUS_CODES: Readonly<Record<ProbeStatus, RecipientCode | undefined>> = {
  starttls_ok: undefined,
  starttls_missing: 'ENOSTARTTLS',
  starttls_refused: 'ESTARTTLSREFUSED',
  handshake_failed: 'EHANDSHAKE',
  tls_version_too_old: 'ETLSVERSION',
  cert_invalid: 'ECERTUNTRUSTED',
  cert_expired: 'ECERTEXPIRED',
  cert_name_mismatch: 'ECERTNAME',
  unreachable: 'ECONNECT',
  timeout: 'ETIMEOUT',
  protocol_error: 'EPROTOCOL',
};

/** The recipient code for a host's status; `undefined` for `starttls_ok`. */
export function hostCode(host: HostProbe): RecipientCode | undefined {
  return STATUS_CODES[host.status];
}

/**
 * `certificateVerified` as the transports report it: the chain is trusted **and** the certificate
 * names the host. `undefined` when there was no certificate.
 */
export function certificateVerified(host: HostProbe): boolean | undefined {
  const cert = host.certificate;
  return cert === undefined ? undefined : cert.chainVerified && cert.nameMatches;
}
