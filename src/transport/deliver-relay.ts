import type { ConnectHook } from '../dns/types.js';
import { ERROR_CODES } from '../errors/codes.js';
import { meetsMinVersion } from '../policy/inbound-verdict.js';
import type { Classified } from './classify-error.js';
import { SessionError, type SessionSpec } from './open-session.js';
import type { PlannedRecipient } from './plan.js';
import type { PreparedMessage } from './prepared-message.js';
import type { RecipientTlsCheck } from './recipient-check.js';
import { failedReport, recipientFailure } from './report.js';
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
}

const protectionOf = (ctx: RelayContext, p: PlannedRecipient): RelayProtection =>
  p.decision.tlsRequired ? ctx.protection : 'none';

async function checkRecipients(
  ctx: RelayContext,
  planned: readonly PlannedRecipient[],
): Promise<{ pass: PlannedRecipient[]; refused: RecipientReport[] }> {
  if (ctx.protection !== 'check-mx' || ctx.check === undefined) return { pass: [...planned], refused: [] };
  const check = ctx.check;
  const verdicts = await Promise.all(
    planned.map(async (p) => {
      if (!p.decision.tlsRequired) return undefined;
      const { level, minVersion, fingerprints } = p.decision;
      try {
        return await check(p.decision.domain, { level, minVersion, fingerprints });
      } catch (error) {
        return { ok: false, message: `check failed: ${String(error)}` };
      }
    }),
  );
  const pass: PlannedRecipient[] = [];
  const refused: RecipientReport[] = [];
  for (const [i, p] of planned.entries()) {
    const verdict = verdicts[i];
    if (verdict === undefined || verdict.ok) {
      pass.push(p);
      continue;
    }
    const why: Classified = {
      code: 'ERECIPIENTTLS',
      phase: 'relay-check',
      transient: ERROR_CODES.ERECIPIENTTLS.transient,
      untrusted: false,
      message: `${ERROR_CODES.ERECIPIENTTLS.summary}: ${verdict.code ?? ''} ${verdict.message ?? ''}`.trim(),
    };
    const site = verdict.mx === undefined ? { mxTried: [] } : { mx: verdict.mx, mxTried: [verdict.mx] };
    refused.push(failedReport(p, recipientFailure(p, why, site), 'check-mx'));
  }
  return { pass, refused };
}

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
  const { pass, refused } = await checkRecipients(ctx, planned);
  const requireTls = (p: PlannedRecipient) =>
    message.requireTls || (ctx.protection === 'requiretls' && p.decision.tlsRequired);
  const groups = [pass.filter(requireTls), pass.filter((p) => !requireTls(p))].filter((g) => g.length > 0);
  const reports = [...refused];
  const host = ctx.spec.host;
  const annotate = (p: PlannedRecipient) => ({ relayProtection: protectionOf(ctx, p) });
  for (const group of groups) {
    const startedAt = new Date();
    let session: Session;
    let target = { address: host, port: ctx.port };
    try {
      if (ctx.connect) {
        const t = await ctx.connect(host, ctx.port);
        target = { address: t.host, port: t.port };
      }
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
      continue;
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
      continue;
    }
    const result = await runTransaction(session, sendable, message, {
      mxTried: [host],
      requireTls: requireTls(sendable[0]!),
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
  }
  return reports;
}

function attempt(
  ctx: RelayContext,
  target: { address: string; port: number },
  group: readonly PlannedRecipient[],
  startedAt: Date,
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
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    ...extra,
  };
}
