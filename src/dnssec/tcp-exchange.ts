import { connect } from 'node:net';
import { type ExchangeResult, settleOnce } from './exchange-result.js';
import { type DnsQuery, replyTo } from './query.js';
import type { DnsServer } from './server-address.js';

/**
 * Sends `query` over TCP (two-byte length prefix, RFC 1035 §4.2.2) and reads one reply. A reply that
 * does not answer the query is `malformed`; a closed or failed connection is `network`.
 */
export function exchangeTcp(
  server: DnsServer,
  query: DnsQuery,
  signal: AbortSignal,
): Promise<ExchangeResult> {
  return settleOnce(
    signal,
    (finish) => {
      const socket = connect({ host: server.host, port: server.port });
      let buffer = Buffer.alloc(0);
      socket.on('connect', () => {
        const length = Buffer.alloc(2);
        length.writeUInt16BE(query.wire.length);
        socket.write(Buffer.concat([length, query.wire]));
      });
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        if (buffer.length < 2 || buffer.length < 2 + buffer.readUInt16BE(0)) return;
        const reply = replyTo(query, buffer.subarray(2, 2 + buffer.readUInt16BE(0)));
        finish(
          reply === undefined
            ? {
                ok: false,
                failure: 'malformed',
                message: `the TCP reply from ${server.label} did not answer the query`,
              }
            : { ok: true, reply, transport: 'tcp' },
        );
      });
      socket.on('error', (error) => finish({ ok: false, failure: 'network', message: error.message }));
      socket.on('close', () =>
        finish({ ok: false, failure: 'network', message: `${server.label} closed the TCP connection` }),
      );
      return () => socket.destroy();
    },
    () => ({ ok: false, failure: 'timeout', message: `no reply over TCP from ${server.label}` }),
  );
}
