import { connect, createServer, type Socket } from 'node:net';

/** A TCP proxy on 127.0.0.1 in front of a server, which a test can cut to simulate a network failure. */
export interface TcpProxy {
  readonly port: number;
  /**
   * `reset`: close every connection and refuse new ones (the peer sees errors at once).
   * `blackhole`: keep connections open but drop every byte (the peer sees silence, as when a
   * network path dies without a reset).
   */
  cut(mode: 'reset' | 'blackhole'): void;
  /** Forward again (new connections; the old ones stay cut). */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy forwarding to `127.0.0.1:targetPort`. */
export function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: 'open' | 'reset' | 'blackhole' = 'open';
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (mode === 'reset') {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    let blackholed = mode === 'blackhole';
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (mode === 'blackhole') blackholed = true;
        if (!blackholed) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        port,
        cut: (how) => {
          mode = how;
          if (how === 'reset') for (const socket of sockets) socket.destroy();
        },
        restore: () => {
          mode = 'open';
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
