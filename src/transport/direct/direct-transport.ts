import { createNodeResolver } from '../../dns/node-resolver.js';
import type { Resolver } from '../../dns/types.js';
import type { Clock } from '../../internal/clock.js';
import { createMtaStsResolver, type MtaStsResolver } from '../../mta-sts/index.js';
import { createDeliver } from '../deliver.js';
import { ForcedTlsTransport } from '../forced-tls-transport.js';
import * as check from '../options.js';
import { groupBy, requirementKey } from '../plan.js';
import { SessionPool } from '../session/session-pool.js';
import { deliverDirect } from './deliver-direct.js';
import type { DirectContext } from './direct-context.js';
import { type DirectTransportOptions, directOptions } from './direct-options.js';

export type { DirectTransportOptions } from './direct-options.js';

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
  const options = directOptions(input);
  const name = check.ehloName('name', options.name);
  const port = check.portNumber('port', options.port, 25);
  const timeouts = check.timeouts(options.timeouts);
  const ca = check.caList(options.ca);
  const limits = check.poolLimits(options, { pool: true, maxConnections: 10, maxPerHost: 5 });
  const clock = options.clock ?? (() => new Date());
  const resolver = options.resolver ?? createNodeResolver();
  let transport: ForcedTlsTransport | undefined;
  const pool = new SessionPool(limits, () => transport?.emit('idle'));
  const ctx: DirectContext = {
    pool,
    resolver,
    connect: options.connect,
    port,
    name,
    timeouts,
    ca,
    testing: options.testing === true,
    emit: (attempt) => transport?.reportAttempt(attempt, options.onAttempt),
    random: options.random ?? Math.random,
    clock,
    mtaSts: mtaStsOf(options, resolver, ca, clock),
    dnssec: options.dnssec,
    bsiProfile: options.bsiProfile === true,
  };
  const deliver = createDeliver({
    mode: 'direct',
    testing: ctx.testing,
    policy: options.policy,
    whitelist: options.whitelist,
    clock,
    // One transaction per domain and TLS requirement; the domains go out side by side.
    route: (planned) => ({
      settled: [],
      groups: groupBy(planned, (p) => `${p.decision.domain}|${requirementKey(p.decision)}`),
    }),
    deliverGroup: (group, message) => deliverDirect(ctx, group, message),
    sequential: false,
  });
  transport = new ForcedTlsTransport('forced-tls-direct', deliver, pool, async () => true);
  return transport;
}

// The recipients' MTA-STS policies: the caller's resolver, none, or one on this transport's DNS.
function mtaStsOf(
  options: DirectTransportOptions,
  resolver: Resolver,
  ca: readonly string[] | undefined,
  clock: Clock,
): MtaStsResolver | undefined {
  if (options.mtaSts === false) return undefined;
  if (options.mtaSts !== undefined) return options.mtaSts;
  if (typeof resolver.resolveTxt !== 'function') return undefined;
  return createMtaStsResolver({
    resolver,
    ...(options.connect === undefined ? {} : { connect: options.connect }),
    ...(ca === undefined ? {} : { ca }),
    clock,
  });
}
