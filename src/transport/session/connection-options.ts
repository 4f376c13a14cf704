import { isIP } from 'node:net';
import { type ConnectionOptions, checkServerIdentity } from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { bsiTlsOptions } from '../../internal/bsi-tls.js';
import { sharedSecureContext } from './secure-context.js';
import type { SessionSpec } from './session-spec.js';

/**
 * nodemailer's connection options for a session spec: STARTTLS mandatory unless `may`, SNI = the
 * certificate name, the policy's minimum version, Node's own `checkServerIdentity` always.
 */
export function connectionOptions(spec: SessionSpec): SMTPConnection.Options {
  const { level } = spec.requirement;
  const t = spec.timeouts;
  const servername = spec.servername ?? (isIP(spec.host) === 0 ? spec.host : undefined);
  // With usable TLSA records DANE replaces PKIX (RFC 7672 §3.1: a DANE-EE certificate may be self-signed
  // and name nothing); the session is then judged by the DANE match after the handshake.
  const dane = spec.requirement.authentication === 'dane';
  const verify = level === 'verify' && spec.requirement.allowUnverified !== true && !dane;
  // Level qualified needs the BSI TR-02102-2 profile: offered in the handshake, judged on the result.
  const bsi = spec.bsiProfile === true || level === 'qualified' ? bsiTlsOptions() : undefined;
  const minVersion = level === 'may' ? undefined : spec.requirement.minVersion;
  const tls: ConnectionOptions = {
    ...spec.tls,
    ...(bsi === undefined ? {} : { ciphers: bsi.ciphers, sigalgs: bsi.sigalgs, ecdhCurve: bsi.ecdhCurve }),
    ...(servername === undefined ? {} : { servername }),
    ...(minVersion === undefined ? {} : { minVersion }),
    // verify: Node aborts the handshake on an untrusted chain or a wrong name. The other levels
    // read `authorized` afterwards (fingerprint pins the certificate itself; encrypt checks nothing).
    rejectUnauthorized: verify,
    // Always Node's own name check: an option can never switch it off.
    checkServerIdentity,
  };
  if (spec.ca && spec.ca.length > 0) tls.secureContext = sharedSecureContext(spec.ca, tls.minVersion, tls);
  return {
    host: spec.address,
    port: spec.port,
    secure: spec.implicitTls,
    ...(servername === undefined ? {} : { servername }),
    ...(spec.name === undefined ? {} : { name: spec.name }),
    requireTLS: level !== 'may',
    ignoreTLS: level === 'may' && spec.plaintext === true,
    opportunisticTLS: level === 'may' && spec.plaintext !== true,
    tls,
    // The session's watchdog fires first (a deadline per step, counted from the command); these only
    // bound what it does not watch: the socket's inactivity while the message body is being written.
    connectionTimeout: t.connect + t.greeting + t.tls + 3 * t.reply,
    greetingTimeout: t.greeting + t.tls + t.reply,
    socketTimeout: t.reply,
    transactionLog: true,
  };
}
