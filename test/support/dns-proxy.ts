import { createSocket, type Socket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';

/** A forwarding DNS proxy on loopback that counts the queries passing through it. */
export interface DnsProxy {
  /** `127.0.0.1:port`, UDP and TCP. */
  readonly address: string;
  /** UDP queries forwarded so far. */
  readonly udp: number;
  /** TCP connections forwarded so far (the resolver opens one per TCP query). */
  readonly tcp: number;
  close(): Promise<void>;
}

function listenTcp(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}

async function bindPair(): Promise<[Socket, Server]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
    const server = createServer();
    if (await listenTcp(server, udp.address().port)) return [udp, server];
    udp.close();
  }
  throw new Error('no port free for both UDP and TCP');
}

/**
 * Starts a proxy in front of `upstream` (`host:port`, e.g. the stack's unbound). Each UDP query is
 * relayed from its own socket and the reply sent back; each TCP connection is piped through. Used to
 * count what the resolver under test really sends.
 */
export async function startDnsProxy(upstream: string): Promise<DnsProxy> {
  const colon = upstream.lastIndexOf(':');
  const host = upstream.slice(0, colon);
  const port = Number(upstream.slice(colon + 1));
  const [udp, tcp] = await bindPair();
  const counts = { udp: 0, tcp: 0 };
  udp.on('message', (message, client) => {
    counts.udp++;
    const relay = createSocket('udp4');
    relay.on('message', (reply) => {
      udp.send(reply, client.port, client.address);
      relay.close();
    });
    relay.send(message, port, host);
    setTimeout(() => relay.close(), 3000).unref();
  });
  tcp.on('connection', (socket) => {
    counts.tcp++;
    const up = connect({ host, port });
    socket.pipe(up).pipe(socket);
    socket.on('error', () => up.destroy());
    up.on('error', () => socket.destroy());
  });
  return {
    address: `127.0.0.1:${udp.address().port}`,
    get udp() {
      return counts.udp;
    },
    get tcp() {
      return counts.tcp;
    },
    close: async () => {
      udp.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
