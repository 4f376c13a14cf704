import type { ConnectionOptions } from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Timeouts } from '../types.js';
import type { SessionAuthentication } from './session-authentication.js';
import type { SessionRequirement } from './tls-evidence.js';

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
  readonly requirement: SessionRequirement;
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
  /** What the recipient publishes about this host (DANE, MTA-STS): what the session must prove. */
  readonly authentication?: SessionAuthentication;
  /** Offer only the BSI TR-02102-2 profile in the handshake (`bsiTlsOptions()`); always for `qualified`. */
  readonly bsiProfile?: boolean;
}
