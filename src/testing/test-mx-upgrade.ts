import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';

/** What the server learnt from a completed handshake. */
export interface TestMxTlsInfo {
  readonly protocol?: string;
  readonly cipher?: string;
  readonly servername?: string;
}

/**
 * Starts the server side of a TLS handshake on `plain` (after STARTTLS, or at once for implicit TLS).
 * Exactly one of `onSecure` / `onFail` is called; a client that aborts never crashes the server.
 */
export function upgradeToTls(
  plain: Socket,
  secureContext: SecureContext,
  onSecure: (info: TestMxTlsInfo) => void,
  onFail: (error: string) => void,
): TLSSocket {
  const secure = new TLSSocket(plain, { isServer: true, secureContext });
  let done = false;
  const fail = (error: string): void => {
    if (done) return;
    done = true;
    onFail(error);
  };
  secure.on('error', (error: Error) => fail(error.message));
  secure.on('close', () => fail('connection closed during the handshake'));
  secure.once('secure', () => {
    done = true;
    const protocol = secure.getProtocol() ?? undefined;
    const cipher = secure.getCipher()?.standardName;
    const servername = typeof secure.servername === 'string' ? secure.servername : undefined;
    onSecure({
      ...(protocol ? { protocol } : {}),
      ...(cipher ? { cipher } : {}),
      ...(servername ? { servername } : {}),
    });
  });
  return secure;
}
