import type { DnssecResolver } from '../dnssec/index.js';
import { isForcedTlsError } from '../errors/index.js';
import type { MtaStsResolver } from '../mta-sts/index.js';
import { type DomainDecision, decideDomain, type TlsRequirement } from '../policy/index.js';
import type { Clock, WhitelistSource } from '../whitelist/index.js';
import { readOptions } from './check-arguments.js';
import { FreshWhitelist } from './fresh-whitelist.js';
import { type NextHop, parseNextHop } from './next-hop.js';
import { compileNextHops } from './next-hop-map.js';
import { checkPolicySource, currentPolicy, type PolicySource } from './policy-source.js';
import { DEFAULT_POSTFIX_VERSION, parsePostfixVersion } from './postfix-version.js';
import { lookupPublished } from './published-lookup.js';
import { type PublishedBasis, publishedTlsPolicy } from './published-policy.js';
import { checkPublishedSources } from './published-sources.js';
import type { PublishedFacts } from './published-types.js';
import type { SocketmapReply } from './socketmap-reply.js';
import { formatTlsPolicy, tlsPolicyForRequirement } from './tls-policy-reply.js';

/** Options of {@link createTlsPolicyTable}. */
export interface TlsPolicyTableOptions {
  /** The policy (or a function returning the current one, e.g. after a reload). */
  readonly policy: PolicySource;
  /** Outbound whitelist entries that lower a domain to `may`. Read afresh for every lookup. */
  readonly whitelist?: WhitelistSource;
  /**
   * Next-hops that deliver for one recipient domain, e.g. `{ '[10.0.0.5]:25': 'partner.de' }`
   * when the transport table routes partner.de there. A listed key is decided as that domain.
   * A bracketed next-hop that is not listed gets the outbound default, never lowered by a
   * whitelist entry (it may carry mail for any domain).
   */
  readonly nextHops?: Readonly<Record<string, string>>;
  /**
   * The Postfix release the replies are for; attributes it does not know are never sent (the
   * TLSRPT attributes of MTA-STS answers only from 3.10). @default '3.7'
   */
  readonly postfixVersion?: string;
  /**
   * The MTA-STS resolver (`createMtaStsResolver` from `forced-tls/mta-sts`; give it a
   * `FileMtaStsCacheStore`): an `enforce` policy of the recipient domain (fetched or cached) is
   * answered `secure match=<its MX patterns>`; a resolver failure `TEMP`.
   * @default none: MTA-STS is not looked up
   */
  readonly mtaSts?: MtaStsResolver;
  /**
   * The DNSSEC-validating resolver (`createDnssecResolver` from `forced-tls/dnssec`): usable TLSA
   * records at the recipient's MX hosts are answered `dane-only` (before MTA-STS, RFC 8461 §2), a
   * bogus or failed lookup `TEMP`. Postfix then needs `smtp_dns_support_level = dnssec` and a
   * validating resolver of its own (docs/postfix.md).
   * @default none: DANE is left to the policy levels `dane`/`dane-only`
   */
  readonly dnssec?: DnssecResolver;
  /** @default () => new Date() */
  readonly clock?: Clock;
}

const FIELDS = {
  policy: 'any',
  whitelist: 'any',
  nextHops: 'any',
  postfixVersion: 'any',
  mtaSts: 'any',
  dnssec: 'any',
  clock: 'function',
} as const;

/** One answer of the TLS policy table, with what it was decided from (for the log). */
export interface TlsPolicyAnswer {
  /** What the socketmap server sends to Postfix. */
  readonly reply: SocketmapReply;
  /** The key as parsed. */
  readonly nextHop: NextHop;
  /** The decision applied, for a domain key or a mapped next-hop. */
  readonly decision?: DomainDecision;
  /** The requirement applied; for an unmapped bracketed next-hop it is the outbound default. */
  readonly requirement?: TlsRequirement;
  /** Which source the reply enforces (with `mtaSts` or `dnssec`): the local decision, MTA-STS or DANE. */
  readonly basis?: PublishedBasis;
  /** What the recipient domain publishes, as looked up for this answer (with `mtaSts` or `dnssec`). */
  readonly published?: PublishedFacts;
  /** Why the reply is `TEMP` or `PERM`. */
  readonly error?: string;
}

/** The table behind `smtp_tls_policy_maps = socketmap:inet:…:NAME`. */
export interface TlsPolicyTable {
  /** Answers one key; never rejects (a failure is a `TEMP` answer). */
  lookup(key: string): Promise<TlsPolicyAnswer>;
}

const NO_FINGERPRINTS: readonly string[] = Object.freeze([]);
// The port of the TLSA name `_<port>._tcp.<mx>`: an unbracketed `domain:port` next-hop's own port.
function tlsaPort(nextHop: NextHop, mapped: string | undefined): number {
  const port = mapped === undefined && nextHop.kind === 'domain' ? nextHop.port : undefined;
  return port !== undefined && /^[0-9]+$/.test(port) ? Number(port) : 25;
}

/**
 * Creates the TLS policy table: Postfix's next-hop keys answered from the same policy and
 * whitelist as the transports. A domain (any case, U-label or A-label) gets its domain decision
 * (see `decideDomain`), so Postfix never needs to walk to parent keys; a `.parent` key gets the
 * decision for any subdomain of it; `[host]:port` keys get a mapped domain's decision or the
 * outbound default. A key that is no next-hop is answered `PERM` (Postfix defers the mail); an
 * unreadable whitelist or any internal error is answered `TEMP`. Both fail closed.
 *
 * With `mtaSts` and/or `dnssec`, a domain key (and a mapped next-hop) is answered with the stricter
 * of the local decision and what the recipient domain publishes (`publishedTlsPolicy`): usable DANE
 * TLSA records → `dane-only`, an MTA-STS `enforce` policy → `secure match=…`, a bogus or failed
 * DNSSEC lookup or an MTA-STS resolver failure → `TEMP`; a whitelist entry never lowers a published
 * requirement, a pin stays a pin.
 *
 * @example
 * ```ts
 * const table = createTlsPolicyTable({ policy, whitelist, nextHops: { '[10.0.0.5]:25': 'partner.de' } });
 * (await table.lookup('Partner.DE')).reply; // { status: 'OK', data: 'verify match=hostname protocols=>=TLSv1.2 servername=hostname' }
 *
 * const strict = createTlsPolicyTable({ policy, mtaSts, dnssec: createDnssecResolver({ servers: ['127.0.0.1:53'] }) });
 * (await strict.lookup('mandant.de')).reply; // { status: 'OK', data: 'secure match=mx1.mandant.de:.mx.mandant.de protocols=>=TLSv1.2 servername=hostname' }
 * ```
 */
export function createTlsPolicyTable(input: TlsPolicyTableOptions): TlsPolicyTable {
  const options = readOptions(input, FIELDS, 'TLS policy table option') as TlsPolicyTableOptions;
  const source = checkPolicySource(options.policy);
  const version = parsePostfixVersion(options.postfixVersion ?? DEFAULT_POSTFIX_VERSION);
  const nextHops = compileNextHops(options.nextHops);
  const whitelist = new FreshWhitelist(options.whitelist);
  const clock = options.clock ?? (() => new Date());
  const published = checkPublishedSources(options.mtaSts, options.dnssec, clock);

  // A policy has few distinct requirements: write each reply once.
  const replies = new Map<string, SocketmapReply>();
  const replyFor = (requirement: TlsRequirement): SocketmapReply => {
    const key = `${requirement.level} ${requirement.minVersion} ${requirement.fingerprints.join('|')}`;
    let reply = replies.get(key);
    if (reply === undefined) {
      reply = { status: 'OK', data: formatTlsPolicy(tlsPolicyForRequirement(requirement), version) };
      if (replies.size < 10_000) replies.set(key, reply);
    }
    return reply;
  };
  const answer = (nextHop: NextHop, requirement: TlsRequirement, decision?: DomainDecision) => ({
    reply: replyFor(requirement),
    nextHop,
    requirement,
    ...(decision === undefined ? {} : { decision }),
  });

  async function decide(nextHop: NextHop): Promise<TlsPolicyAnswer> {
    if (nextHop.kind === 'invalid') {
      return { reply: { status: 'PERM', reason: `not a next-hop: ${nextHop.reason}` }, nextHop };
    }
    const policy = currentPolicy(source);
    const mapped = nextHops.get(nextHop.canonical);
    const domain =
      mapped ?? (nextHop.kind === 'domain' || nextHop.kind === 'subdomains' ? nextHop.domain : undefined);
    if (domain === undefined) {
      const { level, minVersion } = policy.defaults.outbound;
      return answer(nextHop, { level, minVersion, fingerprints: NO_FINGERPRINTS });
    }
    const scope = mapped === undefined && nextHop.kind === 'subdomains' ? 'subdomains' : 'domain';
    // A `.parent` key names no domain whose MTA-STS policy or MX hosts could be looked up.
    const lookup = published === undefined || scope === 'subdomains' ? undefined : published;
    // Without published sources the hot path stays one whitelist read.
    const [index, facts] =
      lookup === undefined
        ? [await whitelist.read(), undefined]
        : await Promise.all([whitelist.read(), lookupPublished(domain, tlsaPort(nextHop, mapped), lookup)]);
    const now = clock();
    const decision = decideDomain(policy, domain, {
      scope,
      now,
      ...(index === undefined ? {} : { whitelist: index }),
    });
    if (facts === undefined) return answer(nextHop, decision, decision);
    const result = publishedTlsPolicy(decision, facts, version, now);
    if (result.kind === 'temp') {
      // Fail closed, as for a broken store: Postfix defers, it never falls back to plaintext.
      const reply = { status: 'TEMP', reason: `forced-tls cannot decide now (${result.code})` } as const;
      return { reply, nextHop, decision, published: facts, error: `${result.code}: ${result.reason}` };
    }
    const { requirement, basis } = result;
    const reply = { status: 'OK', data: formatTlsPolicy(result.policy, version) } as const;
    return { reply, nextHop, decision, requirement, basis, published: facts };
  }

  return {
    async lookup(key: string): Promise<TlsPolicyAnswer> {
      const nextHop = parseNextHop(key);
      try {
        return await decide(nextHop);
      } catch (error) {
        // Fail closed: Postfix defers the delivery on TEMP, it never falls back to plaintext.
        const code = isForcedTlsError(error) ? error.code : 'EINTERNAL';
        const detail = error instanceof Error ? error.message : String(error);
        const reply = { status: 'TEMP', reason: `forced-tls cannot decide now (${code})` } as const;
        return { reply, nextHop, error: `${code}: ${detail}` };
      }
    },
  };
}
