import { atLeast, REQUIRETLS_SINCE, STARTTLS_DISCARD_SINCE } from './nodemailer-version.js';
import { guardStarttls } from './starttls-guard.js';

type Callback = (error: Error | null, info?: unknown) => void;

/** The parts of nodemailer's `SMTPConnection` the adaptations below touch. */
interface ConnectionInternals {
  readonly version?: string;
  readonly secure?: boolean;
  _supportedExtensions?: unknown;
  _formatError?: (message: unknown, type?: string, response?: unknown, command?: string) => Error;
  send: (envelope: { requireTLSExtensionEnabled?: boolean }, message: unknown, done: Callback) => unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'end', listener: () => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Makes every supported nodemailer (6.9 to 10) behave like the one the transports are written
 * against, on one `SMTPConnection`, before it connects:
 *
 * - before 9.0.3: {@link guardStarttls} (plaintext read behind the `220` to STARTTLS is discarded);
 * - before 10: a Node/OpenSSL error code replaced by nodemailer's (`ESOCKET`) is kept as
 *   `originalCode`, so a certificate or version failure is told apart from a broken handshake;
 * - a connection error or close during a transaction ends that transaction (before 10 only the
 *   `error` event was emitted and the `send` callback never called);
 * - REQUIRETLS is checked before nodemailer sees it: 7.0.12 to 8 queued the handler of MAIL FROM
 *   before refusing REQUIRETLS, and the next reply on the connection then crashed it
 *   (`this._envelope.accepted.push`); before 7.0.12 the flag was silently dropped.
 *
 * Each adaptation is idempotent on versions that already behave so.
 */
export function adaptConnection(connection: object, onDiscard?: (bytes: number) => void): void {
  const conn = connection as ConnectionInternals;
  const version = conn.version;
  if (!atLeast(version, STARTTLS_DISCARD_SINCE)) guardStarttls(conn, onDiscard);
  keepOriginalCode(conn);
  endSendOnFailure(conn, version);
}

function keepOriginalCode(conn: ConnectionInternals): void {
  const format = conn._formatError;
  if (typeof format !== 'function') return;
  conn._formatError = function (message, type, response, command) {
    const before = message instanceof Error ? (message as { code?: unknown }).code : undefined;
    const error = format.call(this, message, type, response, command) as Error & Record<string, unknown>;
    if (typeof before === 'string' && before !== error['code'] && error['originalCode'] === undefined) {
      error['originalCode'] = before;
    }
    return error;
  };
}

function requireTlsRefusal(conn: ConnectionInternals, version: string | undefined): Error | undefined {
  const refuse = (text: string) =>
    Object.assign(new Error(text), { code: 'EREQUIRETLS', command: 'MAIL FROM' });
  if (!atLeast(version, REQUIRETLS_SINCE)) {
    return refuse(`nodemailer ${version} cannot send REQUIRETLS (needs ${REQUIRETLS_SINCE.join('.')})`);
  }
  if (conn.secure !== true) return refuse('REQUIRETLS can only be used over TLS connections (RFC 8689)');
  const extensions = conn._supportedExtensions;
  if (Array.isArray(extensions) && !extensions.includes('REQUIRETLS')) {
    return refuse('Server does not support REQUIRETLS extension (RFC 8689)');
  }
  return undefined;
}

function endSendOnFailure(conn: ConnectionInternals, version: string | undefined): void {
  const send = conn.send;
  conn.send = function (envelope, message, done) {
    if (envelope.requireTLSExtensionEnabled === true) {
      const refusal = requireTlsRefusal(this, version);
      if (refusal) return void setImmediate(() => done(refusal));
    }
    let finished = false;
    const finish: Callback = (error, info) => {
      if (finished) return;
      finished = true;
      this.removeListener('error', onError);
      this.removeListener('end', onEnd);
      done(error, info);
    };
    const onError = (error: Error) => finish(error);
    const onEnd = () => finish(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' }));
    this.once('error', onError);
    this.once('end', onEnd);
    return send.call(this, envelope, message, finish);
  };
}
