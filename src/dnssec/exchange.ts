import type { ExchangeResult } from './exchange-result.js';
import type { DnsQuery } from './query.js';
import type { DnsServer } from './server-address.js';
import { exchangeTcp } from './tcp-exchange.js';
import { exchangeUdp } from './udp-exchange.js';

/**
 * One try against one server: UDP, then TCP when the UDP reply is truncated (TC bit, RFC 7766).
 * A truncated reply is never used; a TCP reply that is itself truncated is `malformed`. Each leg
 * gets its own signal from `trySignal` (the per-try timeout, bounded by the lookup's deadline).
 */
export async function exchange(
  server: DnsServer,
  query: DnsQuery,
  trySignal: () => AbortSignal,
  onQuery: (transport: 'udp' | 'tcp') => void,
): Promise<ExchangeResult> {
  onQuery('udp');
  const first = await exchangeUdp(server, query, trySignal());
  if (!first.ok || !first.reply.flag_tc) return first;
  onQuery('tcp');
  const second = await exchangeTcp(server, query, trySignal());
  if (second.ok && second.reply.flag_tc) {
    return { ok: false, failure: 'malformed', message: `the TCP reply from ${server.label} is truncated` };
  }
  return second;
}
