import { createServer, type Socket } from 'node:net';
import { ForcedTlsError } from '../errors/index.js';
import { type BoundAddress, checkListenAddress, type ListenAddress, listenOn } from './listen.js';
import type { ServerConnections } from './server-connections.js';

/** A protocol server Postfix connects to: listen on one address, count and close its connections. */
export interface ProtocolServer {
  /** Starts listening (TCP on loopback unless `allowRemote`, or a unix socket); resolves with the bound address. */
  listen(address: ListenAddress): Promise<BoundAddress>;
  /** Open connections. */
  readonly connections: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** A positive integer option, or its default; anything else is `EPOLICY` naming it. */
export function positive(value: number | undefined, fallback: number, path: string): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new ForcedTlsError('EPOLICY', `${path} must be a positive integer`, { path, value });
}

/**
 * The TCP (or unix socket) server of a protocol: every connection tracked in `connections` and
 * handed to `serve`, at most `maxConnections` at once (default 1000), loopback addresses only
 * unless `allowRemote`.
 */
export function protocolServer(
  connections: ServerConnections,
  serve: (socket: Socket) => void,
  options: { readonly maxConnections?: number; readonly allowRemote?: boolean },
): ProtocolServer {
  const server = createServer((socket) => {
    connections.add(socket);
    serve(socket);
  });
  server.maxConnections = positive(options.maxConnections, 1000, 'maxConnections');
  server.on('error', () => {});
  return {
    listen: async (address) =>
      listenOn(server, checkListenAddress(address, options.allowRemote === true, 'listen')),
    get connections() {
      return connections.size;
    },
    close: () => connections.closeServer(server),
  };
}
