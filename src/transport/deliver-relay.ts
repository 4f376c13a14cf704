import { resolveConnectTarget } from '../dns/connect-target.js';
import type { ConnectHook } from '../dns/types.js';
import { meetsMinVersion } from '../policy/requirement.js';
import type { Clock } from '../internal/clock.js';
import type { Classified } from './classify-error.js';
import { SessionError, type SessionSpec } from './open-session.js';
import type { PlannedRecipient } from './plan.js';
import { bodyFailure, type PreparedMessage } from './prepared-message.js';
import type { RecipientTlsCheck } from './recipient-check.js';
import { checkRecipients } from './relay-check.js';
import { failedReport, recipientFailure, unexpectedFailureReports } from './report.js';
import type { Session } from './session.js';
import type { SessionPool } from './session-pool.js';
import { runTransaction } from './transaction.js';
import type { AttemptListener, RecipientReport, RelayProtection } from './types.js';

/** The relay-mode protection choices for recipients that require TLS. */
export type RecipientProtection = Exclude<RelayProtection, 'none'>;

/** What relay delivery needs from the transport. */
export interface RelayContext {
  readonly pool: SessionPool;
  readonly spec: Omit<SessionSpec, 'address' | 'port'>;
  readonly port: number;
  readonly connect: ConnectHook | undefined;
  readonly protection: RecipientProtection;
  readonly check: RecipientTlsCheck | undefined;
  readonly emit: AttemptListener;
  /** The transport's clock, for `startedAt` (durations are measured on the system clock). */
  readonly clock: Clock;
}

/** When an attempt started: the injected clock's time, and the system time for its duration. */
interface Started {
  readonly at: Date;
  readonly ms: number;
}

const protectionOf = (ctx: RelayContext, p: PlannedRecipient): RelayProtection =>
  p.decision.tlsRequired ? ctx.protection : 'none';

/**
 * Sends one message through the relay: every session is TLS with the relay's certificate verified
 * (unless explicitly allowed otherwise) and checked before AUTH; recipients that require TLS are
 * protected as the host chose (REQUIRETLS, a pre-send MX check, or trust in the relay) and the
 * report says which.
 */
export async function deliverRelay(
  ctx: RelayContext,
  planned: readonly PlannedRecipient[],
  message: PreparedMessage,
): Promise<RecipientReport[]> {
  const { pass, refused } = await checkRecipients(
    ctx.protection === 'check-mx' ? ctx.check : undefined,
    planned,
  );
  const requireTls = (p: PlannedRecipient) =>
    message.requireTls || (ctx.protection === 'requiretls' && p.decision.tlsRequired);
  const groups = [pass.filter(requireTls), pass.filter((p) => !requireTls(p))].filter((g) => g.length > 0);
  const reports = [...refused];
  for (const group of groups) {
    try {
      reports.push(...(await relayGroup(ctx, group, message, requireTls(group[0]!))));
    } catch (error) {
      // A message that cannot be built fails every group alike and nothing was sent: its own error says why.
      const failed = await bodyFailure(message);
      if (failed) throw failed.error;
      reports.push(...unexpectedFailureReports(group, error, (p) => protectionOf(ctx, p)));
    }
  }
  return reports;
}

/** One relay transaction for recipients that share REQUIRETLS or not. Session failures become reports. */
async function relayGroup(
  ctx: RelayContext,
  group: readonly PlannedRecipient[],
  message: PreparedMessage,
  requireTls: boolean,
): Promise<RecipientReport[]> {
  const reports: RecipientReport[] = [];
  const host = ctx.spec.host;
  const annotate = (p: PlannedRecipient) => ({ relayProtection: protectionOf(ctx, p) });
  const startedAt: Started = { at: ctx.clock(), ms: Date.now() };
  let session: Session;
  let target = { address: host, port: ctx.port };
  try {
    const t = await resolveConnectTarget(host, ctx.port, { connect: ctx.connect });
    target = { address: t.host, port: t.port };
    session = await ctx.pool.acquire({ ...ctx.spec, ...target });
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    const why = error.classified;
    ctx.emit(attempt(ctx, target, group, startedAt, 'failed', { code: why.code }));
    for (const p of group) {
      reports.push(
        failedReport(
          p,
          recipientFailure(p, why, { mx: host, mxTried: [host], relayHop: true }),
          annotate(p).relayProtection,
        ),
      );
    }
    return reports;
  }
  const tooOld = group.filter(
    (p) => !meetsMinVersion(session.evidence?.protocol, p.decision.minVersion) && p.decision.tlsRequired,
  );
  for (const p of tooOld) {
    const why: Classified = {
      code: 'ETLSVERSION',
      phase: 'handshake',
      transient: false,
      untrusted: false,
      message: `relay session uses ${session.evidence?.protocol ?? 'no TLS'}, below ${p.decision.minVersion}`,
    };
    reports.push(
      failedReport(p, recipientFailure(p, why, { mx: host, mxTried: [host] }), annotate(p).relayProtection),
    );
  }
  const sendable = group.filter((p) => !tooOld.includes(p));
  if (sendable.length === 0) {
    ctx.pool.release(session, true);
    return reports;
  }
  const result = await runTransaction(session, sendable, message, {
    mxTried: [host],
    requireTls,
    annotate,
  });
  const reusable = result.reusable && (result.outcome !== 'rejected' || (await session.reset()));
  ctx.pool.release(session, reusable);
  const code = result.reports.find((r) => r.failure)?.failure?.code;
  ctx.emit(
    attempt(ctx, target, sendable, startedAt, result.outcome, {
      ...(session.evidence ? { tls: session.evidence } : {}),
      ...(code ? { code } : {}),
    }),
  );
  reports.push(...result.reports);
  return reports;
}

function attempt(
  ctx: RelayContext,
  target: { address: string; port: number },
  group: readonly PlannedRecipient[],
  startedAt: Started,
  outcome: Parameters<AttemptListener>[0]['outcome'],
  extra: object,
): Parameters<AttemptListener>[0] {
  return {
    host: ctx.spec.host,
    address: target.address,
    port: target.port,
    level: ctx.spec.requirement.level,
    recipients: group.map((p) => p.address),
    outcome,
    startedAt: startedAt.at,
    durationMs: Date.now() - startedAt.ms,
    ...extra,
  };
}
