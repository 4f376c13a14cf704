import { type ConnectionOptions, connect, createServer, type TLSSocket, type TlsOptions } from 'node:tls';

/** A raw TLS server on 127.0.0.1 that records each handshake it completed. */
export interface RawTlsServer {
  readonly port: number;
  /** Protocol and cipher of every handshake the server completed. */
  readonly handshakes: readonly { protocol: string | null; cipher: string }[];
  /** Handshakes that failed on the server side, by error code. */
  readonly failures: readonly string[];
  close(): Promise<void>;
}

/** Starts a `node:tls` server with `options` (key, cert, ciphers, versions …) on a free loopback port. */
export async function startRawTlsServer(options: TlsOptions): Promise<RawTlsServer> {
  const handshakes: { protocol: string | null; cipher: string }[] = [];
  const failures: string[] = [];
  const open = new Set<TLSSocket>();
  // The connection stays open until close(), so the client reads its facts from a live socket.
  const server = createServer(options, (socket) => {
    handshakes.push({ protocol: socket.getProtocol(), cipher: socket.getCipher().standardName });
    socket.on('error', () => {});
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  server.on('tlsClientError', (error: Error & { code?: string }) =>
    failures.push(error.code ?? error.message),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    handshakes,
    failures,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The outcome of a client handshake: the connected socket, or the error code. */
export type Handshake = { readonly socket: TLSSocket } | { readonly error: string };

/**
 * Connects to `port` with SNI `servername` and `options`, resolving when the handshake ends either
 * way (within `timeoutMs`). The caller ends a connected socket.
 */
export function handshake(
  port: number,
  servername: string,
  options: ConnectionOptions,
  timeoutMs = 5000,
): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ...options }, () => {
      clearTimeout(timer);
      resolve({ socket });
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ error: 'timeout' });
    }, timeoutMs);
    socket.on('error', (error: Error & { code?: string }) => {
      clearTimeout(timer);
      resolve({ error: error.code ?? error.message });
    });
  });
}
