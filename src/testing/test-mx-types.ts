import type { TestCa } from './test-ca-types.js';

/** Where a line arrived: before (`plain`) or after (`tls`) the TLS handshake. */
export type TestMxPhase = 'plain' | 'tls';

/** One line the test server received, in order of arrival. */
export interface TestMxLogEntry {
  /** Number of the connection (1-based, in order of acceptance). */
  readonly connection: number;
  /** Whether it arrived before or after TLS. */
  readonly phase: TestMxPhase;
  /** The line without its CRLF. Message body lines carry `data: true`. */
  readonly line: string;
  /** True for a line of the message body (after `DATA`). */
  readonly data: boolean;
}

/** A message the server accepted with `250` after the final dot. */
export interface TestMxMessage {
  /** Number of the connection it arrived on. */
  readonly connection: number;
  /** The reverse path of `MAIL FROM:<…>` (empty string for the null sender). */
  readonly from: string;
  /** Recipients the server accepted with a 2xx reply. */
  readonly to: readonly string[];
  /** The message as received (dot-unstuffed, CRLF line ends), decoded as UTF-8. */
  readonly data: string;
  /** The message bytes as received (dot-unstuffed). */
  readonly raw: Buffer;
  /** Whether the message travelled over TLS. */
  readonly secure: boolean;
  /** The negotiated protocol (`TLSv1.3`) or `undefined` in plaintext. */
  readonly protocol: string | undefined;
  /** The negotiated cipher's standard name or `undefined` in plaintext. */
  readonly cipher: string | undefined;
  /** The server name the client sent (SNI), if any. */
  readonly servername: string | undefined;
}

/** An `AUTH` attempt. The server accepts every attempt; it never validates credentials. */
export interface TestMxAuthAttempt {
  /** Number of the connection. */
  readonly connection: number;
  /** Whether it came before or after TLS. */
  readonly phase: TestMxPhase;
  /** The mechanism named (`PLAIN`, `LOGIN`, …), uppercase. */
  readonly mechanism: string;
}

/** The outcome of one TLS handshake the server attempted. */
export interface TestMxHandshake {
  /** Number of the connection. */
  readonly connection: number;
  /** Whether the handshake completed. */
  readonly ok: boolean;
  /** The negotiated protocol, when it completed. */
  readonly protocol?: string;
  /** The negotiated cipher, when it completed. */
  readonly cipher?: string;
  /** The SNI name the client sent, if any. */
  readonly servername?: string;
  /** The error message when the handshake failed (the client aborted, a version mismatch, …). */
  readonly error?: string;
}

/** Where the server stops answering (it keeps the connection open and says nothing). */
export type TestMxStallPoint =
  /** no greeting */
  | 'greeting'
  /** no reply to the plaintext EHLO */
  | 'ehlo'
  /** no reply to the EHLO after TLS */
  | 'ehlo-tls'
  /** no reply to STARTTLS */
  | 'starttls'
  /** no reply to DATA (no `354`) */
  | 'data'
  /** no reply after the final dot of the message */
  | 'message';

/** A reply the server can dribble: a stall point, or the reply to `MAIL FROM` or `RCPT TO`. */
export type TestMxReplyPoint = TestMxStallPoint | 'mail' | 'rcpt';

/** Send one reply slowly: one byte every `everyMs` (a server that holds a client by trickling). */
export interface TestMxDribble {
  /** The reply to send slowly: a stall point's reply, or the reply to `MAIL FROM` or `RCPT TO`. */
  readonly at: TestMxReplyPoint;
  /** @default 1000 */
  readonly everyMs?: number;
}

/** Context passed to {@link TestMxOptions.onCommand}. */
export interface TestMxCommandContext {
  /** Number of the connection. */
  readonly connection: number;
  /** Whether the command came before or after TLS. */
  readonly phase: TestMxPhase;
  /** The full line without CRLF. */
  readonly line: string;
  /** The upper-cased command word (`EHLO`, `MAIL`, …). */
  readonly verb: string;
}

/**
 * What {@link TestMxOptions.onCommand} returns: `undefined` for the default behaviour; a string to send
 * those raw bytes instead (`''` ignores the command); or an object that may also end the session.
 */
export type TestMxCommandResult =
  | string
  | {
      /** Raw bytes to send instead of the default reply. */
      readonly reply?: string;
      /** Then close the connection, or stop answering. */
      readonly after?: 'close' | 'stall';
    }
  | undefined;

/** Which certificate the server presents. All but `self-signed` and `unknown-ca` come from the test CA. */
export type TestMxCertificatePreset =
  | 'valid'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-name'
  | 'self-signed'
  | 'unknown-ca';

/** TLS settings of the test server. */
export interface TestMxTlsOptions {
  /** PEM private key; with `cert` it replaces the `certificate` preset. */
  readonly key?: string;
  /** PEM certificate; with `key` it replaces the `certificate` preset. */
  readonly cert?: string;
  /** @default 'TLSv1.2' */
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** @default 'TLSv1.3' */
  readonly maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list. A TLS 1.0/1.1-only server needs `'DEFAULT@SECLEVEL=0'`. */
  readonly ciphers?: string;
}

/** The running test server returned by `startTestMx`. */
export interface TestMx {
  /** The address it listens on (`127.0.0.1` or `::1`). */
  readonly host: string;
  /** The port it listens on (chosen by the system). */
  readonly port: number;
  /** The MX host name it poses as (greeting, EHLO reply, certificate). */
  readonly name: string;
  /** The CA that issued its certificate: pass `ca.cert` to clients as the trusted root. */
  readonly ca: TestCa;
  /** SHA-256 fingerprint of the certificate it presents (`AB:CD:…`). */
  readonly fingerprint256: string;
  /** Every line received, with the phase it arrived in. */
  readonly log: readonly TestMxLogEntry[];
  /** Every message accepted, in order. */
  readonly messages: readonly TestMxMessage[];
  /** Every AUTH attempt, in order. */
  readonly auths: readonly TestMxAuthAttempt[];
  /** Every TLS handshake attempted, in order. */
  readonly handshakes: readonly TestMxHandshake[];
  /** Number of connections accepted so far. */
  readonly connections: number;
  /** Log entries of commands (not body lines) whose verb is one of `verbs`, received in plaintext. */
  receivedInPlaintext(verbs?: readonly string[]): TestMxLogEntry[];
  /** The command verbs received before TLS, in order (all connections). */
  commandsBeforeTls(): string[];
  /** The command verbs received in `phase` (or in any phase), in order. */
  commands(phase?: TestMxPhase): string[];
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}
