import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import { EXPIRED_CERTIFICATE_CODES } from '../internal/tls-errors.js';
import type { ProbeCertificate, ProbeStatus } from './types.js';

function isoDate(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').filter(Boolean).join(', ');
}

/**
 * Reads the peer certificate of a finished handshake and judges it. The handshake ran with
 * `rejectUnauthorized: false` and no identity check, so `authorized` speaks only of the chain; the
 * name is checked here against the MX host name (never the address).
 */
export function evaluateCertificate(
  socket: TLSSocket,
  mxHost: string,
  now: Date,
): ProbeCertificate | undefined {
  // One call only: after getPeerX509Certificate(), Node 20 returns an empty getPeerCertificate().
  const legacy = socket.getPeerCertificate();
  if (legacy?.raw === undefined) return undefined;
  const x509 = new X509Certificate(legacy.raw);
  const chainError = socket.authorized ? undefined : String(socket.authorizationError ?? 'UNKNOWN');
  const validFrom = isoDate(x509.validFrom);
  const validTo = isoDate(x509.validTo);
  const time = now.getTime();
  const expired = time < Date.parse(validFrom) || time > Date.parse(validTo);
  const identity = checkServerIdentity(mxHost, legacy);
  return {
    subject: oneLine(x509.subject),
    subjectAltNames: (x509.subjectAltName ?? '').split(/,\s*/).filter(Boolean),
    issuer: oneLine(x509.issuer),
    validFrom,
    validTo,
    expired: expired || (chainError !== undefined && EXPIRED_CERTIFICATE_CODES.has(chainError)),
    chainVerified: socket.authorized,
    ...(chainError === undefined ? {} : { chainError }),
    nameMatches: identity === undefined,
    fingerprint256: x509.fingerprint256,
  };
}

/** The status of a host whose handshake succeeded, from its certificate. */
export function certificateStatus(certificate: ProbeCertificate | undefined): ProbeStatus {
  if (certificate === undefined) return 'cert_invalid';
  if (certificate.expired) return 'cert_expired';
  if (!certificate.chainVerified) return 'cert_invalid';
  if (!certificate.nameMatches) return 'cert_name_mismatch';
  return 'starttls_ok';
}
