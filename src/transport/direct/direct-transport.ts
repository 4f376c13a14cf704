import { createNodeResolver } from '../../dns/node-resolver.js';
import { createDeliver } from '../deliver.js';
import { ForcedTlsTransport } from '../forced-tls-transport.js';
import * as check from '../options.js';
import { groupBy, requirementKey } from '../plan.js';
import { SessionPool } from '../session/session-pool.js';
import { type DirectContext, deliverDirect } from './deliver-direct.js';
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
  const limits = check.poolLimits(options, { pool: true, maxConnections: 10 });
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
