import type { ConnectHook, Resolver } from '../../dns/types.js';
import type { DnssecResolver } from '../../dnssec/index.js';
import type { Clock } from '../../internal/clock.js';
import { readShape } from '../../internal/index.js';
import type { MtaStsResolver } from '../../mta-sts/index.js';
import type { Policy } from '../../policy/index.js';
import type { WhitelistSource } from '../../whitelist/source.js';
import { COMMON_FIELDS, readTransportOptions } from '../options.js';
import type { AttemptListener, Timeouts } from '../types.js';

/** Options of {@link createDirectTransport}. */
export interface DirectTransportOptions {
  /** The policy (from `createPolicy`): it decides the level per recipient. */
  readonly policy: Policy;
  /** The whitelist (from `createWhitelist`); read once per message. */
  readonly whitelist?: WhitelistSource;
  /** DNS for MX and A/AAAA lookups. @default the system resolver (`node:dns`) */
  readonly resolver?: Resolver;
  /** Maps an MX host name to the address and port to connect to (tests). Certificates are still checked against the name. */
  readonly connect?: ConnectHook;
  /** @default 25 */
  readonly port?: number;
  /** EHLO name: a fully qualified name of the sending host, e.g. `mail.kanzlei.de`. Required. */
  readonly name: string;
  /** Session time limits in milliseconds. @default { connect: 10000, greeting: 10000, tls: 10000, reply: 30000 } */
  readonly timeouts?: Partial<Timeouts>;
  /** Reuse connections per MX host and requirement. @default true */
  readonly pool?: boolean;
  /** Open connections across all MX hosts. @default 10 */
  readonly maxConnections?: number;
  /**
   * Open connections to one MX host (for one requirement), as Postfix's initial destination
   * concurrency: a burst of messages to one domain then shares these instead of taking every slot.
   * @default 5 (at most `maxConnections`)
   */
  readonly maxConnectionsPerHost?: number;
  /** Messages per connection. @default 100 */
  readonly maxMessages?: number;
  /** Milliseconds an unused pooled connection stays open. @default 5000 */
  readonly idleTimeout?: number;
  /**
   * Extra trusted CA certificates (PEM), added to Node's root store (tests, private CAs): public CAs
   * stay trusted. (The relay's `tls.ca` instead replaces the root store, as in nodemailer.)
   */
  readonly ca?: string | readonly string[];
  /**
   * Testing mode (like MTA-STS `testing`): deliver every recipient as level `may` would, and report in
   * `wouldRefuse` each recipient enforce mode would have refused. Nothing is refused for TLS.
   * @default false
   */
  readonly testing?: boolean;
  /** Called after each SMTP session attempt with its TLS evidence. */
  readonly onAttempt?: AttemptListener;
  /** Random source for the order of equal-preference MX hosts. @default Math.random */
  readonly random?: () => number;
  /**
   * The recipients' MTA-STS policies (RFC 8461): an `enforce` policy limits delivery to the MX hosts it
   * lists, with a valid certificate and TLS 1.2 or later, whatever the local policy allows; `testing`
   * is reported in `wouldRefuse`. Pass your own `createMtaStsResolver` (e.g. with a
   * `FileMtaStsCacheStore` so policies survive restarts, or the PostgreSQL store so instances share
   * them), or `false` to not look. @default a resolver on `resolver`, `connect`, `ca` and `clock` with a
   * memory cache; none when `resolver` has no `resolveTxt`
   */
  readonly mtaSts?: MtaStsResolver | false;
  /**
   * A DNSSEC-validating resolver (`createDnssecResolver` from `forced-tls/dnssec`) for DANE (RFC 7672):
   * wherever a recipient's MX host has usable DNSSEC-validated TLSA records, the certificate must match
   * them (never a fallback to PKIX or plaintext); bogus lookups defer the host. Levels `dane` and
   * `dane-only` need it. @default none: DANE is off
   */
  readonly dnssec?: DnssecResolver;
  /**
   * Offer only the BSI TR-02102-2 profile (`bsiTlsOptions()`) in every handshake, so a server outside
   * it fails the handshake instead of reaching a weaker session; level `qualified` always offers it.
   * @default false
   */
  readonly bsiProfile?: boolean;
  /** Clock for whitelist expiry and each attempt's `startedAt`. @default () => new Date() */
  readonly clock?: Clock;
}

const RESOLVER_METHODS = { resolveMx: 'function', resolve4: 'function', resolve6: 'function' } as const;

/**
 * The direct transport's options read once into plain data, with the types of its fields checked.
 *
 * @example
 * ```ts
 * const options = directOptions({ policy, name: 'mail.kanzlei.de' });
 * ```
 */
export function directOptions(input: unknown): DirectTransportOptions {
  const options = readTransportOptions<DirectTransportOptions>(input, {
    ...COMMON_FIELDS,
    resolver: 'object',
    ca: 'any',
    testing: 'boolean',
    random: 'function',
    mtaSts: 'any',
    dnssec: 'any',
    bsiProfile: 'boolean',
    maxConnectionsPerHost: 'any',
  });
  const mtaSts = options.mtaSts as unknown;
  if (mtaSts !== undefined && mtaSts !== false) {
    readShape(mtaSts, { resolve: 'function', recheck: 'function' }, { path: 'mtaSts', optional: false });
  }
  if (options.dnssec !== undefined) {
    readShape(
      options.dnssec,
      { mx: 'function', lookup: 'function', tlsa: 'function' },
      { path: 'dnssec', optional: false },
    );
  }
  if (options.resolver !== undefined)
    readShape(options.resolver, RESOLVER_METHODS, { path: 'resolver', optional: false });
  return options;
}
