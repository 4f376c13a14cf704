import type { InboundTlsState } from '../policy/types.js';

// The negotiated protocol, read from the socket after the handshake. `session.tlsOptions.version`
// is the cipher's minimum protocol, not the negotiated one, and is never used.
/** Reads the negotiated TLS state of an smtp-server session from its socket after the handshake. */
export function readTls(socket: object): InboundTlsState {
  const s = socket as { getProtocol?: () => string | null; getCipher?: () => { name?: string } | undefined };
  const protocol = typeof s.getProtocol === 'function' ? s.getProtocol() : null;
  const cipher = typeof s.getCipher === 'function' ? s.getCipher()?.name : undefined;
  return cipher ? { protocol, cipher } : { protocol };
}

/** The state of a session that never completed a TLS handshake. */
export const PLAINTEXT: InboundTlsState = Object.freeze({ protocol: null });
