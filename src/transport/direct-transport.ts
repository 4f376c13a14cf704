import { createNodeResolver } from '../dns/node-resolver.js';
import type { ConnectHook, Resolver } from '../dns/types.js';
import type { Policy } from '../policy/policy.js';
import type { WhitelistSource } from '../whitelist/source.js';
import type { Clock } from '../whitelist/types.js';
import { type DirectContext, deliverDirect } from './deliver-direct.js';
import { ForcedTlsTransport } from './forced-tls-transport.js';
import { settle } from './outcome.js';
import { decideAll, groupBy, requirementKey } from './plan.js';
import { bodyFailure, type PreparedMessage } from './prepared-message.js';
import { unexpectedFailureReports } from './report.js';
import { SessionPool } from './session-pool.js';
import type { AttemptListener, Timeouts } from './types.js';
import * as check from './validate-options.js';
import { readWhitelist } from './whitelist-source.js';

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

/**
 * Direct-to-MX delivery with the policy's TLS enforced per recipient, the way an MTA does it.
 * Recipients are grouped by domain and TLS requirement; each group goes to its domain's MX hosts in
 * order, each session proves its TLS before MAIL FROM, and a failure moves on to the next MX — never
 * to plaintext.
 *
 * @example
 * ```ts
 * const transporter = nodemailer.createTransport(
 *   createDirectTransport({ policy, whitelist, name: 'mail.kanzlei.de' }),
 * );
 * const info = await transporter.sendMail(message); // info.tls.recipients[i].tls.protocol
 * ```
 */
export function createDirectTransport(input: DirectTransportOptions): ForcedTlsTransport {
  // Read once into plain data with every field's type checked (EPOLICY naming it), so nothing below throws a TypeError.
  const options = check.directOptions(input);
  const name = check.ehloName('name', options.name);
  const port = check.portNumber('port', options.port, 25);
  const timeouts = check.timeouts(options.timeouts);
  const ca = check.caList(options.ca);
  const pooled = options.pool !== false;
  const limits = {
    maxConnections: check.positiveInteger('maxConnections', options.maxConnections, 10),
    maxMessages: pooled ? check.positiveInteger('maxMessages', options.maxMessages, 100) : 1,
    idleTimeout: pooled ? check.positiveInteger('idleTimeout', options.idleTimeout, 5000) : 0,
  };
  const clock = options.clock ?? (() => new Date());
  let transport: ForcedTlsTransport | undefined;
  const pool = new SessionPool(limits, () => transport?.emit('idle'));
  const ctx: DirectContext = {
    pool,
    resolver: options.resolver ?? createNodeResolver(),
    connect: options.connect,
    port,
    name,
    timeouts,
    ca,
    testing: options.testing === true,
    emit: (attempt) => transport?.reportAttempt(attempt, options.onAttempt),
    random: options.random ?? Math.random,
    clock,
  };
  const deliver = async (message: PreparedMessage) => {
    const whitelist = await readWhitelist(options.whitelist);
    const planned = decideAll(options.policy, message.to, whitelist, clock());
    const groups = groupBy(planned, (p) => `${p.decision.domain}|${requirementKey(p.decision)}`);
    // Each group settles on its own: an unexpected error in one never loses the others' reports.
    const settled = groups.map((group) =>
      deliverDirect(ctx, group, message).catch(async (error: unknown) => {
        // A message that cannot be built fails every group alike and nothing was sent: its own error says why.
        const failed = await bodyFailure(message);
        if (failed) throw failed.error;
        return unexpectedFailureReports(group, error);
      }),
    );
    const reports = (await Promise.all(settled)).flat();
    const order = new Map(message.to.map((address, i) => [address, i]));
    reports.sort((a, b) => (order.get(a.recipient) ?? 0) - (order.get(b.recipient) ?? 0));
    const outcome = settle(message, { mode: 'direct', testing: ctx.testing, recipients: reports });
    if ('error' in outcome) throw outcome.error;
    return outcome.info;
  };
  transport = new ForcedTlsTransport('forced-tls-direct', deliver, pool, async () => true);
  return transport;
}
