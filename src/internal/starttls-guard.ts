import { ForcedTlsError } from '../errors/index.js';

/** The parts of nodemailer's `SMTPConnection` (6.9 to 10) the guard works on; none is public API. */
interface UpgradeInternals {
  _upgradeConnection: (callback: (error: Error | null, secured?: boolean) => void) => unknown;
  /** Complete reply lines read but not yet handled. */
  _responseQueue: string[];
  /** The unterminated rest of the last chunk read. */
  _remainder: string;
}

/**
 * RFC 3207 §6: "the client MUST discard any knowledge obtained from the server … which was not
 * obtained from the TLS negotiation itself". nodemailer before 9.0.3 keeps what it has buffered behind
 * the `220` reply to STARTTLS: complete lines stay queued and are handled as replies to the commands
 * sent over TLS, an unterminated fragment is prepended to the first reply read over TLS — an attacker
 * on the path can so write (part of) the post-TLS EHLO reply in plaintext (STARTTLS response
 * injection, USENIX Security 2021). This wraps the connection's upgrade so that everything buffered is
 * dropped before the handshake starts, as nodemailer itself does since 9.0.3.
 *
 * The upgrade runs synchronously from the handler of the `220`, so nothing can be read between the
 * discard and the switch of the socket to TLS; bytes arriving later go to the TLS layer, which refuses
 * them. Throws `EUNSUPPORTED` when the connection lacks the internals: no session is opened unguarded.
 *
 * @param onDiscard called with the number of bytes dropped, when any were.
 */
export function guardStarttls(connection: object, onDiscard?: (bytes: number) => void): void {
  const conn = connection as Partial<UpgradeInternals>;
  const upgrade = conn._upgradeConnection;
  if (
    typeof upgrade !== 'function' ||
    !Array.isArray(conn._responseQueue) ||
    typeof conn._remainder !== 'string'
  ) {
    throw new ForcedTlsError(
      'EUNSUPPORTED',
      'This nodemailer version keeps plaintext read before STARTTLS and cannot be guarded: use nodemailer 9.0.3 or newer',
    );
  }
  conn._upgradeConnection = function (this: UpgradeInternals, callback) {
    const bytes = this._remainder.length + this._responseQueue.reduce((sum, line) => sum + line.length, 0);
    this._remainder = '';
    this._responseQueue = [];
    if (bytes > 0) onDiscard?.(bytes);
    return upgrade.call(this, callback);
  };
}
