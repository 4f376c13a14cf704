import { ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import {
  decideDomain,
  normalizeAddress,
  type OutboundDecision,
  type WhitelistIndex,
} from '../policy/index.js';
import type { Clock, WhitelistSource } from '../whitelist/index.js';
import { whitelistFailureText } from '../whitelist/index.js';
import { readOptions } from './check-arguments.js';
import { FreshWhitelist } from './fresh-whitelist.js';
import { checkPolicySource, currentPolicy, type PolicySource } from './policy-source.js';
import type { SocketmapReply } from './socketmap-reply.js';
import {
  checkTransportPrefix,
  DEFAULT_TRANSPORT_PREFIX,
  sameRequirement,
  transportName,
} from './transport-names.js';

/** Options of {@link createTransportTable}. */
export interface TransportTableOptions {
  /** The policy to decide with: a `Policy`, or a function returning the current one (read once per lookup). */
  readonly policy: PolicySource;
  /** Outbound whitelist; an address entry routes its address to the `may` transport. */
  readonly whitelist?: WhitelistSource;
  /**
   * The next-hop of a routed recipient. Postfix resets an empty next-hop to the recipient
   * domain (transport(5)), bypassing `relayhost`: set this (e.g. `[smarthost.example]:587`, or a
   * function of the recipient domain) when mail leaves through a relay. @default '' (the recipient domain)
   */
  readonly nexthop?: string | ((domain: string) => string | undefined);
  /** Prefix of the transport names; must match the generated master.cf lines. @default 'ftls' */
  readonly transportPrefix?: string;
  /** @default () => new Date() */
  readonly clock?: Clock;
}

/** One answer of the transport table. */
export interface TransportAnswer {
  /** `OK <transport>:<nexthop>` for a routed recipient, `NOTFOUND` for every other key, `TEMP` when no decision could be made. */
  readonly reply: SocketmapReply;
  /** The recipient's decision, when the key was an address. */
  readonly decision?: OutboundDecision;
  /** The transport it was routed to. */
  readonly transport?: string;
  /** Set when the whitelist could not be read; the route was decided without it (stricter). */
  readonly whitelistError?: string;
  /** Set with a `TEMP` reply: the error code and message of what failed (`EINTERNAL` for an error that is not a `ForcedTlsError`). */
  readonly error?: string;
}

/** The table behind `transport_maps = socketmap:inet:…:NAME, …`. */
export interface TransportTable {
  /** Answers one recipient address; never rejects. */
  lookup(key: string): Promise<TransportAnswer>;
}

const TABLE_FIELDS = {
  policy: 'any',
  whitelist: 'any',
  nexthop: 'any',
  transportPrefix: 'any',
  clock: 'any',
} as const;
const NEXTHOP = /^[^\s,:]*(?::[^\s,]+)?$|^\[[^\s\]]+\](?::[a-z0-9-]+)?$/i;

function checkNexthop(value: unknown): void {
  if (value === undefined || typeof value === 'function') return;
  if (typeof value === 'string' && NEXTHOP.test(value)) return;
  throw new ForcedTlsError(
    'EPOLICY',
    'nexthop must be a next-hop such as [relay.example]:587 or a function',
    {
      path: 'nexthop',
      value,
    },
  );
}

/**
 * Creates the transport table that serves what a next-hop-keyed TLS policy table cannot
 * express: a recipient whose own rule or whitelist entry asks for something else than its
 * domain. Such an address is routed to the transport for its requirement (`ftls-verify:`,
 * `ftls-may:`, …; master.cf lines from `masterCfTransports`), and Postfix splits a message with
 * such recipients by transport. Every other key, malformed addresses and `*` included, is
 * `NOTFOUND`: those recipients stay with the domain's policy. An unreadable whitelist is decided
 * without (entries only ever lower a requirement), so Postfix keeps accepting mail at RCPT; the TLS
 * policy table answers `TEMP` meanwhile, which defers every delivery that relies on the whitelist.
 *
 * @example
 * ```ts
 * const table = createTransportTable({ policy });
 * (await table.lookup('Vorstand@Bank.de')).reply; // { status: 'OK', data: 'ftls-verify-tls13:' }
 * ```
 */
export function createTransportTable(input: TransportTableOptions): TransportTable {
  const options = readOptions(input, TABLE_FIELDS, 'transport table option') as TransportTableOptions;
  const source = checkPolicySource(options.policy);
  const prefix = checkTransportPrefix(options.transportPrefix ?? DEFAULT_TRANSPORT_PREFIX);
  checkNexthop(options.nexthop);
  const whitelist = new FreshWhitelist(options.whitelist);
  const clock = options.clock ?? (() => new Date());
  const nexthopFor = (domain: string): string => {
    const n = typeof options.nexthop === 'function' ? options.nexthop(domain) : options.nexthop;
    if (n !== undefined) checkNexthop(n);
    return n ?? '';
  };

  async function route(key: string): Promise<TransportAnswer> {
    let address: string;
    try {
      address = normalizeAddress(key).address;
    } catch (error) {
      if (isForcedTlsError(error)) return { reply: { status: 'NOTFOUND' } };
      throw error;
    }
    const policy = currentPolicy(source);
    let index: WhitelistIndex | undefined;
    let whitelistError: string | undefined;
    try {
      index = await whitelist.read();
    } catch (error) {
      // Decide without it: entries only lower requirements, and the TLS policy table answers TEMP
      // for every domain while the whitelist is unreadable, so a recipient not routed here waits.
      whitelistError = whitelistFailureText(error);
    }
    const at = { now: clock(), ...(index === undefined ? {} : { whitelist: index }) };
    const decision = policy.outbound(address, at);
    const extra = whitelistError === undefined ? {} : { whitelistError };
    if (sameRequirement(decision, decideDomain(policy, decision.domain, at))) {
      return { reply: { status: 'NOTFOUND' }, decision, ...extra };
    }
    const transport = transportName(decision, prefix);
    const data = `${transport}:${nexthopFor(decision.domain)}`;
    return { reply: { status: 'OK', data }, decision, transport, ...extra };
  }

  return {
    async lookup(key: string): Promise<TransportAnswer> {
      try {
        return await route(key);
      } catch (error) {
        const code = isForcedTlsError(error) ? error.code : 'EINTERNAL';
        const detail = error instanceof Error ? error.message : String(error);
        return {
          reply: { status: 'TEMP', reason: `forced-tls cannot decide now (${code})` },
          error: `${code}: ${detail}`,
        };
      }
    },
  };
}
