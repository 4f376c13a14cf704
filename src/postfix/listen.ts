import { isIP, type Server } from 'node:net';
import { ForcedTlsError } from '../errors/index.js';

/** Where a server listens: a loopback TCP address or a unix socket path. */
export type ListenAddress =
  | {
      /** `localhost`, `::1` or a `127.x.x.x` address; any host only with `allowRemote`. */
      readonly host: string;
      /** The TCP port, 0 to 65535; 0 picks a free one. */
      readonly port: number;
    }
  | {
      /** The file system path of the unix socket. */
      readonly path: string;
    };

/** What a listening server is bound to. */
export type BoundAddress =
  | {
      /** The address bound (`server.address().address`, e.g. `127.0.0.1`). */
      readonly host: string;
      /** The port bound: the one the system picked when 0 was asked for. */
      readonly port: number;
    }
  | {
      /** The unix socket path bound. */
      readonly path: string;
    };

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Checks a listen address. Postfix's socketmap and policy-delegation connections are neither
 * authenticated nor encrypted, so a TCP listener must be on loopback unless `allowRemote` is set.
 */
export function checkListenAddress(
  address: ListenAddress,
  allowRemote: boolean,
  path: string,
): ListenAddress {
  if (typeof address === 'object' && address !== null && 'path' in address) {
    if (typeof address.path === 'string' && address.path !== '') return address;
  } else if (typeof address === 'object' && address !== null && typeof address.host === 'string') {
    const { host, port } = address;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ForcedTlsError('EPOLICY', `${path}.port must be a port number`, {
        path: `${path}.port`,
        value: port,
      });
    }
    if (allowRemote || isLoopback(host)) return address;
    throw new ForcedTlsError(
      'EPOLICY',
      `${path}.host must be a loopback address (the protocol is unauthenticated)`,
      {
        path: `${path}.host`,
        value: host,
      },
    );
  }
  throw new ForcedTlsError('EPOLICY', `${path} must be { host, port } or { path }`, { path, value: address });
}

/** Starts listening; resolves with the bound address (the real port for port 0). */
export function listenOn(server: Server, address: ListenAddress): Promise<BoundAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      const bound = server.address();
      if (typeof bound === 'string') resolve({ path: bound });
      else if (bound === null) reject(new Error('server is not listening'));
      else resolve({ host: bound.address, port: bound.port });
    };
    if ('path' in address) server.listen({ path: address.path }, done);
    else server.listen({ host: address.host, port: address.port }, done);
  });
}
