import { createSocket } from 'node:dgram';
import { type ExchangeResult, settleOnce } from './exchange-result.js';
import { type DnsQuery, replyTo } from './query.js';
import type { DnsServer } from './server-address.js';

/**
 * Sends `query` over UDP from a fresh socket (a random source port) connected to `server`, so only
 * datagrams from that address and port arrive. Datagrams that are not the reply to the query
 * (another id or question, undecodable) are ignored; if only such datagrams came when `signal` fires,
 * the result is `malformed`, else `timeout`.
 */
export function exchangeUdp(
  server: DnsServer,
  query: DnsQuery,
  signal: AbortSignal,
): Promise<ExchangeResult> {
  let ignored = 0;
  return settleOnce(
    signal,
    (finish) => {
      const socket = createSocket(server.family === 6 ? 'udp6' : 'udp4');
      socket.on('error', (error) => finish({ ok: false, failure: 'network', message: error.message }));
      socket.on('message', (message) => {
        const reply = replyTo(query, message);
        if (reply === undefined) ignored++;
        else finish({ ok: true, reply, transport: 'udp' });
      });
      socket.connect(server.port, server.host, () => {
        socket.send(query.wire, (error) => {
          if (error) finish({ ok: false, failure: 'network', message: error.message });
        });
      });
      return () => {
        try {
          socket.close();
        } catch {
          // already closed after an error
        }
      };
    },
    () =>
      ignored > 0
        ? {
            ok: false,
            failure: 'malformed',
            message: `${ignored} reply datagram(s) did not answer the query`,
          }
        : { ok: false, failure: 'timeout', message: `no reply over UDP from ${server.label}` },
  );
}
