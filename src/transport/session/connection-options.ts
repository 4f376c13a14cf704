import { isIP } from 'node:net';
import { type ConnectionOptions, checkServerIdentity } from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
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
  const verify = level === 'verify' && spec.requirement.allowUnverified !== true;
  const tls: ConnectionOptions = {
    ...spec.tls,
    ...(servername === undefined ? {} : { servername }),
    ...(level === 'may' ? {} : { minVersion: spec.requirement.minVersion }),
    // verify: Node aborts the handshake on an untrusted chain or a wrong name. The other levels
    // read `authorized` afterwards (fingerprint pins the certificate itself; encrypt checks nothing).
    rejectUnauthorized: verify,
    // Always Node's own name check: an option can never switch it off.
    checkServerIdentity,
  };
  if (spec.ca && spec.ca.length > 0)
    tls.secureContext = sharedSecureContext(spec.ca, tls.minVersion, spec.tls);
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
