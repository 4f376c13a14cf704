import type { ConnectHook, Resolver } from '../../dns/types.js';
import type { Clock } from '../../internal/clock.js';
import { readShape } from '../../internal/index.js';
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
  });
  if (options.resolver !== undefined)
    readShape(options.resolver, RESOLVER_METHODS, { path: 'resolver', optional: false });
  return options;
}
