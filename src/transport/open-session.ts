import type { ConnectionOptions } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { ERROR_CODES } from '../errors/codes.js';
import { adaptConnection } from '../internal/nodemailer-compat.js';
import { type Classified, classifyError } from './classify-error.js';
import { connectionOptions, stepLimit } from './connection-options.js';
import { Session } from './session.js';
import { type SessionStep, SessionTracker } from './session-tracker.js';
import { checkEvidence, readEvidence, type TlsRequirement } from './tls-evidence.js';
import type { Timeouts } from './types.js';

/** Everything needed to open one checked session. */
export interface SessionSpec {
  /** Pool key: sessions with the same key are interchangeable. */
  readonly key: string;
  /** Host name: SNI, certificate name, report. Never an address unless the host is one. */
  readonly host: string;
  /** Where to connect (an address, or the host name itself). */
  readonly address: string;
  readonly port: number;
  /** Implicit TLS (port 465 style) instead of STARTTLS. */
  readonly implicitTls: boolean;
  readonly requirement: TlsRequirement;
  /** Level `may` only: skip STARTTLS (the retry after a failed handshake). */
  readonly plaintext?: boolean;
  /** EHLO name. @default nodemailer's (the host name if it has a dot) */
  readonly name?: string;
  readonly timeouts: Timeouts;
  /** The name the certificate must carry and SNI sends. @default host (unless it is an address) */
  readonly servername?: string;
  /** Extra trusted CA certificates (PEM), added to Node's root store. */
  readonly ca?: readonly string[];
  /**
   * Further `tls.connect` options, already allow-listed (`checkTlsOptions`); a `ca` here replaces the
   * root store. The checked fields (servername, minVersion, rejectUnauthorized, checkServerIdentity)
   * are always set here.
   */
  readonly tls?: ConnectionOptions;
  readonly auth?: SMTPConnection.AuthenticationType;
}

/** A session that could not be opened, or failed its TLS check. */
export class SessionError extends Error {
  readonly classified: Classified;
  constructor(classified: Classified, cause?: unknown) {
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
    let timer: NodeJS.Timeout | undefined;
    const arm = (step: SessionStep) => {
      clearTimeout(timer);
      timer = setTimeout(
        () => {
          fail({
            code: 'ETIMEOUT',
            phase: step,
            transient: true,
            untrusted: false,
            message: timeoutMessage(step),
          });
        },
        stepLimit(step, spec.timeouts, spec.implicitTls),
      );
    };
    const tracker = new SessionTracker(spec.implicitTls, (step) => {
      if (!settled) arm(step);
    });
    const conn = new SMTPConnection(connectionOptions(spec));
    // The tracker reads the transaction log directly (the public `logger` field): passing it as the
    // `logger` option would wrap every line in nodemailer's log formatting, a cost on every command.
    conn.logger = tracker.logger() as unknown as typeof conn.logger;
    // Supported nodemailer 6.9 to 10 behave alike; before 9.0.3 this is the STARTTLS injection defence.
    adaptConnection(conn);
    const fail = (classified: Classified, cause?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      conn.close();
      reject(new SessionError(classified, cause));
    };
    conn.on('error', (error) => fail(classifyError(error, tracker), error));
    conn.on('end', () => fail(classifyError(closedError(), tracker)));
    arm('connect');
    conn.connect((error) => {
      if (error) return fail(classifyError(error, tracker), error);
      const evidence = readEvidence(conn._socket, spec.host, spec.servername);
      const shortfall = checkEvidence(evidence, spec.requirement, tracker.starttlsAdvertised);
      if (shortfall) {
        const certificate = shortfall.code.startsWith('ECERT') || shortfall.code === 'EFINGERPRINT';
        return fail({
          code: shortfall.code,
          phase: certificate ? 'certificate' : 'handshake',
          transient: ERROR_CODES[shortfall.code].transient,
          untrusted: false,
          message: `${ERROR_CODES[shortfall.code].summary}: ${shortfall.reason}`,
        });
      }
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const { key, host, address, port } = spec;
        const init = { key, host, address, port, evidence, starttlsAdvertised: tracker.starttlsAdvertised };
        resolve(new Session(init, conn, tracker));
      };
      if (spec.auth === undefined) return done();
      arm('auth');
      conn.login(spec.auth, (loginError) => (loginError ? fail(classifyError(loginError, tracker)) : done()));
    });
  });
}

function closedError(): Error {
  return Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' });
}

function timeoutMessage(step: SessionStep): string {
  return `${ERROR_CODES.ETIMEOUT.summary} (${step})`;
}
