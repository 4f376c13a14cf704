import type { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { adaptConnection } from '../../internal/nodemailer-compat.js';
import type { Refusal } from '../refusal.js';
import { classifyError } from './classify-error.js';
import { connectionOptions } from './connection-options.js';
import { credentialTokens } from './redact.js';
import { Session } from './session.js';
import { proveSession } from './session-authentication.js';
import type { SessionSpec } from './session-spec.js';
import { SessionTracker } from './session-tracker.js';
import { checkEvidence, evidenceRefusal, readEvidence, underPublishedPolicy } from './tls-evidence.js';
import { timeoutRefusal, Watchdog } from './watchdog.js';

/** A session that could not be opened, or failed its TLS check. */
export class SessionError extends Error {
  readonly classified: Refusal;
  constructor(classified: Refusal, cause?: unknown) {
    super(classified.message, cause === undefined ? undefined : { cause });
    this.classified = classified;
  }
}

/**
 * Opens an SMTP session and proves its TLS before anything of the message is sent: connect, EHLO,
 * STARTTLS (mandatory unless the level is `may`), EHLO again, then the evidence check (TLS at all,
 * protocol ≥ minimum, certificate verified for `verify`, fingerprint pinned for `fingerprint`), then
 * AUTH. A failure at any point closes the connection and rejects with a classified {@link SessionError};
 * there is no retry here, and never one in plaintext for a level that requires TLS.
 */
export function openSession(spec: SessionSpec): Promise<Session> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const watchdog = new Watchdog(spec.timeouts, spec.implicitTls);
    watchdog.onFire = (step) => fail(timeoutRefusal(step));
    const tracker = new SessionTracker(
      spec.implicitTls,
      (step) => watchdog.step(step),
      (awaited) => watchdog.reply(awaited),
    );
    tracker.credentials = credentialTokens(spec.auth);
    const conn = new SMTPConnection(connectionOptions(spec));
    // The tracker reads the transaction log directly (the public `logger` field): passing it as the
    // `logger` option would wrap every line in nodemailer's log formatting, a cost on every command.
    conn.logger = tracker.logger() as unknown as typeof conn.logger;
    // Supported nodemailer 6.9 to 10 behave alike; before 9.0.3 this is the STARTTLS injection defence.
    adaptConnection(conn);
    const fail = (classified: Refusal, cause?: unknown) => {
      if (settled) return;
      settled = true;
      watchdog.stop();
      conn.close();
      reject(new SessionError(underPublishedPolicy(classified, spec.requirement), cause));
    };
    conn.on('error', (error) => fail(classifyError(error, tracker), error));
    conn.on('end', () => fail(classifyError(closedError(), tracker)));
    watchdog.step('connect');
    conn.connect((error) => {
      if (error) return fail(classifyError(error, tracker), error);
      const socket = conn._socket as TLSSocket;
      const proof =
        socket.encrypted === true
          ? proveSession(
              socket,
              spec.servername ?? spec.host,
              spec.requirement.fingerprints,
              spec.authentication,
              new Date(),
            )
          : undefined;
      const evidence = readEvidence(socket, spec.host, spec.servername, proof);
      const shortfall = checkEvidence(evidence, spec.requirement, tracker.starttlsAdvertised);
      if (shortfall) {
        return fail(evidenceRefusal(shortfall));
      }
      const done = () => {
        if (settled) return;
        settled = true;
        const { key, host, address, port } = spec;
        const init = { key, host, address, port, evidence, starttlsAdvertised: tracker.starttlsAdvertised };
        resolve(new Session(init, conn, tracker, watchdog));
      };
      if (spec.auth === undefined) return done();
      conn.login(spec.auth, (loginError) => (loginError ? fail(classifyError(loginError, tracker)) : done()));
    });
  });
}

function closedError(): Error {
  return Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' });
}
