import type { ConnectHook, Resolver } from '../dns/types.js';
import { enforcedRequirement } from '../policy/requirement.js';
import type { Clock } from '../internal/clock.js';
import { type Acquired, acquire } from './acquire.js';
import type { Classified } from './classify-error.js';
import { resolveMxHosts, resolveTarget } from './mx-resolve.js';
import { SessionError } from './open-session.js';
import type { PlannedRecipient } from './plan.js';
import type { PreparedMessage } from './prepared-message.js';
import { failedReport, recipientFailure } from './report.js';
import type { SessionPool } from './session-pool.js';
import type { TlsRequirement } from './tls-evidence.js';
import { runTransaction, type TransactionResult } from './transaction.js';
import type { AttemptListener, RecipientReport, Timeouts } from './types.js';
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
  const enforced = enforcedRequirement(decision, { requireTls: message.requireTls, testing: ctx.testing });
  if (required.raisedByRequireTls) group = group.map((p) => ({ ...p, enforcedLevel: 'verify' as const }));
  const requirement: TlsRequirement = enforced;
  const lowered = enforced.level !== required.level;
  const failAll = (why: Classified, mxTried: readonly string[], mx?: string) =>
    group.map((p) =>
      failedReport(p, recipientFailure(p, why, mx === undefined ? { mxTried } : { mx, mxTried })),
    );

  const mx = await resolveMxHosts(ctx.resolver, decision.domain, ctx.random);
  if ('failure' in mx) return failAll(mx.failure, []);
  const mxTried: string[] = [];
  let last: { why: Classified; mx?: string } | undefined;
  for (const host of mx.hosts) {
    const target = await resolveTarget(host, ctx.port, ctx.resolver, ctx.connect);
    mxTried.push(host);
    if ('failure' in target) {
      last = { why: target.failure };
      continue;
    }
    const startedAt = ctx.clock();
    const startedMs = Date.now();
    const attempt = (outcome: TransactionResult['outcome'], extra: object) =>
      ctx.emit({
        host,
        address: target.address,
        port: target.port,
        level: requirement.level,
        recipients: group.map((p) => p.address),
        outcome,
        startedAt,
        durationMs: Date.now() - startedMs,
        ...extra,
      });
    let acquired: Acquired;
    try {
      acquired = await acquire(ctx.pool, {
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
      attempt('failed', { code: error.classified.code });
      continue;
    }
    const { session, tlsFailure: lost } = acquired;
    const verdict = lowered && decision.tlsRequired ? wouldRefuse(acquired, required) : undefined;
    const result = await runTransaction(session, group, message, {
      mxTried,
      // The sender asked for REQUIRETLS (RFC 8689): an MX without it fails the transaction, the next MX is tried.
      requireTls: message.requireTls,
      annotate: () => ({
        ...(verdict ? { wouldRefuse: verdict } : {}),
        ...(lost ? { tlsFailure: { code: lost.code, message: lost.message } } : {}),
      }),
    });
    const reusable = result.reusable && (result.outcome !== 'rejected' || (await session.reset()));
    ctx.pool.release(session, reusable);
    const code = result.retryElsewhere?.code ?? result.reports.find((r) => r.failure)?.failure?.code;
    attempt(result.outcome, {
      ...(session.evidence ? { tls: session.evidence } : {}),
      ...(code ? { code } : {}),
    });
    if (result.retryElsewhere) {
      last = { why: result.retryElsewhere, mx: host };
      continue;
    }
    return result.reports;
  }
  const why = last?.why ?? {
    code: 'ENOMX',
    phase: 'dns',
    transient: false,
    untrusted: false,
    message: 'no host',
  };
  return failAll(why, mxTried, last?.mx);
}
