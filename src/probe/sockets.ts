import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { resolveConnectTarget } from '../dns/connect-target.js';
import type { ConnectTarget } from '../dns/types.js';
import type { ResolvedProbeOptions } from './options.js';
import { ProbeStop } from './probe-stop.js';
import { offerOptions, type TlsOffer } from './tls-offer.js';

/** Where to connect for `host`: the connect hook, else the resolver's first A (then AAAA) record. */
export function targetFor(host: string, options: ResolvedProbeOptions): Promise<ConnectTarget> {
  return resolveConnectTarget(host, options.port, options);
}

/** Runs `start(done)` and rejects with a timeout {@link ProbeStop} if it does not settle in `ms`. */
function withTimeout<T>(
  ms: number,
  phase: 'connect' | 'handshake',
  socket: Socket,
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeStop('timeout', 'ETIMEDOUT', `${phase} took longer than ${ms} ms`, phase));
    }, ms);
    start(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Opens the TCP connection within the connect timeout. */
export function openSocket(
  target: ConnectTarget,
  timeoutMs: number,
  track: (s: Socket) => void,
): Promise<Socket> {
  const socket = netConnect({ host: target.host, port: target.port });
  track(socket);
  socket.on('error', () => {});
  return withTimeout(timeoutMs, 'connect', socket, (resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * The client side of the handshake after `220` to STARTTLS, offering `offer`. It never rejects an
 * untrusted certificate itself (`rejectUnauthorized: false`, no identity check): the probe wants to
 * see and judge it. SNI is the MX host name.
 */
export function startTls(
  socket: Socket,
  mxHost: string,
  options: ResolvedProbeOptions,
  track: (s: Socket) => void,
  offer: TlsOffer = 'default',
): Promise<TLSSocket> {
  const secure = tlsConnect({
    socket,
    ...(isIP(mxHost) === 0 ? { servername: mxHost } : {}),
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
    ...offerOptions(offer, options.minVersion),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  track(secure);
  secure.on('error', () => {});
  return withTimeout(options.timeouts.handshake, 'handshake', secure, (resolve, reject) => {
    secure.once('secureConnect', () => resolve(secure));
    secure.once('error', reject);
    secure.once('close', () =>
      reject(Object.assign(new Error('connection closed during the handshake'), { code: 'ECONNRESET' })),
    );
  });
}
