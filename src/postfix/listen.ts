import { isIP, type Server } from 'node:net';
import { ForcedTlsError, isRecord, readShape } from '../errors/index.js';
import { errorCode } from '../internal/error-code.js';

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
export function checkListenAddress(input: ListenAddress, allowRemote: boolean, path: string): ListenAddress {
  // Read once into a plain copy: the server listens on exactly what was checked.
  const address = isRecord(input)
    ? (readShape(input, { path: 'any', host: 'any', port: 'any' }, { path }) as Partial<
        Record<string, unknown>
      >)
    : undefined;
  if (address?.['path'] !== undefined) {
    if (typeof address['path'] === 'string' && address['path'] !== '') return { path: address['path'] };
  } else if (address !== undefined && typeof address['host'] === 'string') {
    const { host, port } = address as { host: string; port: number };
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ForcedTlsError('EPOLICY', `${path}.port must be a port number`, {
        path: `${path}.port`,
        value: port,
      });
    }
    if (allowRemote || isLoopback(host)) return { host, port };
    throw new ForcedTlsError(
      'EPOLICY',
      `${path}.host must be a loopback address (the protocol is unauthenticated)`,
      {
        path: `${path}.host`,
        value: host,
      },
    );
  }
  throw new ForcedTlsError('EPOLICY', `${path} must be { host, port } or { path }`, { path, value: input });
}

// A failure to listen (address in use, no permission, already listening) names the address.
function listenFailure(address: ListenAddress, error: unknown): ForcedTlsError {
  const where = 'path' in address ? address.path : `${address.host}:${address.port}`;
  const code = errorCode(error) ?? (error instanceof Error ? error.message : 'failed');
  return new ForcedTlsError('EPOLICY', `cannot listen on ${where} (${code})`, {
    path: 'listen',
    cause: error,
  });
}

/**
 * Starts listening; resolves with the bound address (the real port for port 0). Rejects with
 * `EPOLICY` (the failure as `cause`) when the address cannot be used or the server already listens.
 */
export function listenOn(server: Server, address: ListenAddress): Promise<BoundAddress> {
  return new Promise<BoundAddress>((resolve, reject) => {
    if (server.listening) throw new Error('the server is already listening');
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
  }).catch((error: unknown) => {
    throw listenFailure(address, error);
  });
}
