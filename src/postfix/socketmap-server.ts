import type { Socket } from 'node:net';
import { ForcedTlsError, readShape } from '../errors/index.js';
import type { Clock } from '../whitelist/index.js';
import { readOptions, recordOption } from './check-arguments.js';
import { withDeadline } from './deadline.js';
import { NetstringDecoder } from './netstring.js';
import { type ProtocolServer, positive, protocolServer } from './protocol-server.js';
import { type ProtocolErrorEvent, ServerConnections } from './server-connections.js';
import { formatSocketmapReply, type SocketmapReply } from './socketmap-reply.js';

/** A table the socketmap server answers for one map name. */
export interface SocketmapTable {
  /** Answers one key; the answer may carry more than the reply (the decision, for the log). */
  lookup(key: string): Promise<{
    /** The reply sent to Postfix. */
    readonly reply: SocketmapReply;
  }>;
}

/** One answered lookup, for the host's JSON log. */
export interface SocketmapLookupEvent {
  /** ISO 8601 time the request arrived. */
  readonly at: string;
  /** The map name of the request (the text before the first space). */
  readonly map: string;
  /** The key asked for, as Postfix sent it (the text after the first space). */
  readonly key: string;
  /** The reply sent: the table's, `PERM` for an unknown map, `TIMEOUT` after the deadline. */
  readonly reply: SocketmapReply;
  /** From the request's arrival to the reply. */
  readonly durationMs: number;
  /** The table's whole answer (decision, next-hop, error). */
  readonly answer: object;
}

/** Options of {@link createSocketmapServer}. */
export interface SocketmapServerOptions {
  /** The tables by socketmap name: the last field of `socketmap:inet:host:port:NAME`. */
  readonly maps: Readonly<Record<string, SocketmapTable>>;
  /** Longest request netstring accepted, in bytes; a longer one closes the connection. @default 4096 */
  readonly maxRequestLength?: number;
  /**
   * Deadline of one lookup, counted from the request's arrival; then `TIMEOUT` is replied
   * (Postfix defers). Well below Postfix's own 100 s. @default 5000
   */
  readonly lookupTimeoutMs?: number;
  /** Requests one connection may have waiting for replies; more closes it. @default 64 */
  readonly maxPipelined?: number;
  /** @default 1000 */
  readonly maxConnections?: number;
  /** Allow a TCP listener on a non-loopback address. @default false */
  readonly allowRemote?: boolean;
  /** Called after every reply. Must not throw (a throwing listener is ignored). */
  readonly onLookup?: (event: SocketmapLookupEvent) => void;
  /** Called when a connection is closed for malformed input. */
  readonly onProtocolError?: (event: ProtocolErrorEvent) => void;
  /** @default () => new Date() */
  readonly clock?: Clock;
}

/** A running (or not yet started) socketmap server. */
export type SocketmapServer = ProtocolServer;

const SERVER_FIELDS = {
  maps: 'any',
  maxRequestLength: 'any',
  lookupTimeoutMs: 'any',
  maxPipelined: 'any',
  maxConnections: 'any',
  allowRemote: 'boolean',
  onLookup: 'any',
  onProtocolError: 'any',
  clock: 'any',
} as const;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

// A table's malformed reply is an internal error: Postfix defers (fail closed).
function replyText(reply: SocketmapReply): string {
  try {
    return formatSocketmapReply(reply);
  } catch {
    return formatSocketmapReply({ status: 'TEMP', reason: 'internal error' });
  }
}

/**
 * Creates a server for Postfix's socketmap protocol (socketmap_table(5)): netstring requests
 * `NAME KEY`, one netstring reply each, any number of requests per connection, replies in request
 * order. Idle connections are kept open (Postfix closes them after 10 s). A malformed netstring
 * or a request without a space closes the connection, never the process; an unknown map name is
 * answered `PERM`; a failing or late table `TEMP`/`TIMEOUT`.
 *
 * @example
 * ```ts
 * const server = createSocketmapServer({
 *   maps: { forcedtls: createTlsPolicyTable({ policy }), 'forcedtls-transport': createTransportTable({ policy }) },
 *   onLookup: (e) => console.log(JSON.stringify(e)),
 * });
 * await server.listen({ host: '127.0.0.1', port: 8461 });
 * ```
 */
export function createSocketmapServer(input: SocketmapServerOptions): SocketmapServer {
  const options = readOptions(input, SERVER_FIELDS, 'socketmap server option') as SocketmapServerOptions;
  for (const name of ['onLookup', 'onProtocolError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new ForcedTlsError('EPOLICY', `${name} must be a function`, { path: name });
    }
  }
  const entries = options.maps === undefined ? [] : recordOption('maps', options.maps);
  if (entries.length === 0) {
    throw new ForcedTlsError('EPOLICY', 'maps must name at least one table', { path: 'maps' });
  }
  const maps: Record<string, SocketmapTable> = Object.create(null);
  for (const [name, table] of entries) {
    const lookup = readShape(table, { lookup: 'function' }, { path: `maps.${name}`, optional: false }).lookup;
    if (!/^[^\s:]+$/.test(name) || lookup === undefined) {
      throw new ForcedTlsError(
        'EPOLICY',
        `maps.${name} must be a table with lookup() under a name without spaces or colons`,
        {
          path: `maps.${name}`,
        },
      );
    }
    maps[name] = table as SocketmapTable;
  }
  const maxRequest = positive(options.maxRequestLength, 4096, 'maxRequestLength');
  const timeoutMs = positive(options.lookupTimeoutMs, 5000, 'lookupTimeoutMs');
  const maxPipelined = positive(options.maxPipelined, 64, 'maxPipelined');
  const clock = options.clock ?? (() => new Date());
  const connections = new ServerConnections(options.onProtocolError, clock);

  async function answer(payload: Buffer): Promise<SocketmapReply | undefined> {
    const arrived = performance.now();
    // Only a listener needs the wall-clock time of the arrival.
    const at = options.onLookup === undefined ? '' : clock().toISOString();
    let text: string;
    try {
      text = UTF8.decode(payload);
    } catch {
      return { status: 'PERM', reason: 'request is not UTF-8' };
    }
    const space = text.indexOf(' ');
    if (space <= 0) return undefined;
    const map = text.slice(0, space);
    const key = text.slice(space + 1);
    const table = Object.hasOwn(maps, map) ? maps[map] : undefined;
    let result: { readonly reply: SocketmapReply };
    if (table === undefined) {
      result = { reply: { status: 'PERM', reason: `no map named ${map}` } };
    } else {
      result = await withDeadline(table.lookup(key), timeoutMs, () => ({
        reply: { status: 'TIMEOUT', reason: `no decision within ${timeoutMs} ms` } as const,
      }));
    }
    try {
      options.onLookup?.({
        at,
        map,
        key,
        reply: result.reply,
        durationMs: performance.now() - arrived,
        answer: result,
      });
    } catch {
      // The log must not change the answer.
    }
    return result.reply;
  }

  function serve(socket: Socket): void {
    const decoder = new NetstringDecoder(maxRequest);
    let queue: Promise<void> = Promise.resolve();
    let waiting = 0;
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => {
      const result = decoder.push(chunk);
      for (const payload of result.payloads) {
        if (++waiting > maxPipelined) return connections.fail(socket, 'too_many_pipelined');
        const reply = answer(payload).catch(
          (): SocketmapReply => ({ status: 'TEMP', reason: 'internal error' }),
        );
        queue = queue.then(async () => {
          const r = await reply;
          waiting--;
          if (socket.destroyed) return;
          if (r === undefined) return connections.fail(socket, 'request_without_key');
          const text = replyText(r);
          // One string, one write: the reply is a netstring of its UTF-8 bytes.
          socket.write(`${Buffer.byteLength(text, 'utf8')}:${text},`, 'utf8');
        });
      }
      if (!result.ok) queue = queue.then(() => connections.fail(socket, result.problem));
    });
  }

  return protocolServer(connections, serve, options);
}
