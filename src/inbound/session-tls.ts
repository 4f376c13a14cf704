/** The TLS state of one smtp-server session, captured in `onSecure`. */
export interface TlsState {
  /** Negotiated protocol (`TLSv1.3`), null for plaintext. */
  readonly protocol: string | null;
  /** Negotiated cipher (OpenSSL name). */
  readonly cipher: string | null;
}

// The negotiated protocol, read from the socket after the handshake. `session.tlsOptions.version`
// is the cipher's minimum protocol, not the negotiated one, and is never used.
/** Reads the negotiated TLS state from a socket after the handshake. */
export function readTls(socket: object): TlsState {
  const s = socket as { getProtocol?: () => string | null; getCipher?: () => { name?: string } | undefined };
  const protocol = typeof s.getProtocol === 'function' ? s.getProtocol() : null;
  const cipher = typeof s.getCipher === 'function' ? (s.getCipher()?.name ?? null) : null;
  return { protocol, cipher };
}
