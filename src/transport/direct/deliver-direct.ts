import type { ConnectHook, Resolver } from '../../dns/types.js';
import type { Clock } from '../../internal/clock.js';
import { enforcedRequirement } from '../../policy/requirement.js';
import { startAttempt, transact } from '../attempt.js';
import type { PlannedRecipient } from '../plan.js';
import type { PreparedMessage } from '../prepared-message.js';
import { type Refusal, refusal } from '../refusal.js';
import { failedReport } from '../report.js';
import { SessionError } from '../session/open-session.js';
import type { SessionPool } from '../session/session-pool.js';
import type { AttemptListener, RecipientReport, Timeouts } from '../types.js';
import { type Acquired, acquireWithMayFallback } from './may-fallback.js';
import { resolveMxHosts, resolveTargets } from './mx-resolve.js';
import { wouldRefuse } from './would-refuse.js';

/** What direct delivery needs from the transport. */
export interface DirectContext {
  readonly pool: SessionPool;
  readonly resolver: Resolver;
  readonly connect: ConnectHook | undefined;
  readonly port: number;
  readonly name: string;
  readonly timeouts: Timeouts;
  readonly ca: readonly string[] | undefined;
  readonly testing: boolean;
  /** Reports an attempt; must never throw (the transport's `reportAttempt` guarantees it). */
  readonly emit: AttemptListener;
  readonly random: () => number;
  /** The transport's clock, for `startedAt` (durations are measured on the system clock). */
  readonly clock: Clock;
}

/**
 * Delivers one message to recipients of one domain that share one TLS requirement: MX hosts in
 * order; a connection or TLS failure moves on to the next MX with the same requirement (never to
 * plaintext); the first host that completes the transaction decides the outcome. In testing mode a
 * TLS-requiring group is sent as `may` and each recipient carries what enforce mode would have done.
 * A message with REQUIRETLS is sent at `verify` at least, in testing mode too.
 */
export async function deliverDirect(
  ctx: DirectContext,
  recipients: readonly PlannedRecipient[],
  message: PreparedMessage,
): Promise<RecipientReport[]> {
  let group = recipients;
  const decision = group[0]!.decision;
  // What enforce mode requires (REQUIRETLS may raise it), and what this session enforces (testing
  // mode may lower it): both decided in src/policy.
  const required = enforcedRequirement(decision, { requireTls: message.requireTls });
  const requirement = enforcedRequirement(decision, { requireTls: message.requireTls, testing: ctx.testing });
  if (required.raisedByRequireTls) group = group.map((p) => ({ ...p, enforcedLevel: 'verify' as const }));
  const lowered = requirement.level !== required.level;
  const mxTried: string[] = [];
  const addressesTried: string[] = [];
  const failAll = (why: Refusal, mx?: string) =>
    group.map((p) => failedReport(p, why, { ...(mx === undefined ? {} : { mx }), mxTried, addressesTried }));

  const mx = await resolveMxHosts(ctx.resolver, decision.domain, ctx.random);
  if ('failure' in mx) return failAll(mx.failure);
  let last: { why: Refusal; mx?: string } | undefined;
  for (const host of mx.hosts) {
    const targets = await resolveTargets(host, ctx.port, ctx.resolver, ctx.connect);
    mxTried.push(host);
    if ('failure' in targets) {
      last = { why: targets.failure };
      continue;
    }
    // Every address of the host in turn, each with the same requirement: never a plaintext retry.
    for (const target of targets.targets) {
      addressesTried.push(`${host}[${target.address}]:${target.port}`);
      const end = startAttempt(ctx.emit, ctx.clock, {
        host,
        ...target,
        level: requirement.level,
        recipients: group,
      });
      let acquired: Acquired;
      try {
        acquired = await acquireWithMayFallback(ctx.pool, {
          key: `${host}|${target.address}|${target.port}|${requirement.level}|${required.minVersion}|${required.fingerprints.join(',')}`,
          host,
          address: target.address,
          port: target.port,
          implicitTls: false,
          requirement,
          name: ctx.name,
          timeouts: ctx.timeouts,
          ...(ctx.ca ? { ca: ctx.ca } : {}),
        });
      } catch (error) {
        if (!(error instanceof SessionError)) throw error;
        last = { why: error.classified, mx: host };
        end('failed', { code: error.classified.code });
        continue;
      }
      const { session, tlsFailure: lost } = acquired;
      const verdict = lowered && decision.tlsRequired ? wouldRefuse(acquired, required) : undefined;
      const options = {
        mxTried,
        addressesTried,
        // The sender asked for REQUIRETLS (RFC 8689): an MX without it fails the transaction, the next MX is tried.
        requireTls: message.requireTls,
        annotate: () => ({
          ...(verdict ? { wouldRefuse: verdict } : {}),
          ...(lost ? { tlsFailure: { code: lost.code, message: lost.message } } : {}),
        }),
      };
      const result = await transact(ctx.pool, session, group, message, options, end);
      if (result.retryElsewhere) {
        last = { why: result.retryElsewhere, mx: host };
        continue;
      }
      return result.reports;
    }
  }
  return failAll(last?.why ?? refusal('ENOMX', 'dns', 'no host'), last?.mx);
}
