import type { Server, Socket } from 'node:net';
import type { Clock } from '../whitelist/index.js';

/** A connection closed because its peer sent something the protocol does not allow. */
export interface ProtocolErrorEvent {
  /** ISO 8601 time. */
  readonly at: string;
  /** What was wrong, e.g. `length_not_a_number`, `line_too_long`. */
  readonly problem: string;
  /** The peer's IP address (`socket.remoteAddress`); undefined for a unix socket or a closed one. */
  readonly remoteAddress: string | undefined;
}

/** The open connections of one server, closed together on shutdown. */
export class ServerConnections {
  readonly #sockets = new Set<Socket>();
  readonly #onError: ((event: ProtocolErrorEvent) => void) | undefined;
  readonly #clock: Clock;

  constructor(onError: ((event: ProtocolErrorEvent) => void) | undefined, clock: Clock) {
    this.#onError = onError;
    this.#clock = clock;
  }

  get size(): number {
    return this.#sockets.size;
  }

  add(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => this.#sockets.delete(socket));
  }

  /** Reports a protocol error and closes the connection (a stream cannot be resynchronized). */
  fail(socket: Socket, problem: string): void {
    if (socket.destroyed) return;
    const remoteAddress = socket.remoteAddress;
    socket.destroy();
    try {
      this.#onError?.({ at: this.#clock().toISOString(), problem, remoteAddress });
    } catch {
      // A failing log does not keep a bad connection open.
    }
  }

  /** Stops accepting, destroys every open connection, resolves when the server has closed. */
  closeServer(server: Server): Promise<void> {
    return new Promise((resolve) => {
      for (const socket of this.#sockets) socket.destroy();
      this.#sockets.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  }
}
