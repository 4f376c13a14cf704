import { resolveConnectTarget } from '../../dns/connect-target.js';
import type { ConnectHook } from '../../dns/types.js';
import type { Clock } from '../../internal/clock.js';
import { startAttempt, transact } from '../attempt.js';
import type { Routing } from '../deliver.js';
import type { PlannedRecipient } from '../plan.js';
import type { PreparedMessage } from '../prepared-message.js';
import { refusal } from '../refusal.js';
import { failedReport } from '../report.js';
import { SessionError } from '../session/open-session.js';
import type { Session } from '../session/session.js';
import type { SessionPool } from '../session/session-pool.js';
import type { SessionSpec } from '../session/session-spec.js';
import { checkEvidence, evidenceRefusal } from '../session/tls-evidence.js';
import type { AttemptListener, RecipientReport, RelayProtection } from '../types.js';
import { checkRecipients } from './mx-check.js';
import type { RecipientTlsCheck } from './mx-check-types.js';

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

/** How a recipient's onward hop is protected: the host's choice when it requires TLS, else `none`. */
export function relayProtectionOf(ctx: RelayContext, p: PlannedRecipient): RelayProtection {
  return p.decision.tlsRequired ? ctx.protection : 'none';
}

function requiresRequireTls(ctx: RelayContext, p: PlannedRecipient, message: PreparedMessage): boolean {
  return message.requireTls || (ctx.protection === 'requiretls' && p.decision.tlsRequired);
}

// Levels whose promise is about the recipient's MX itself: its tier (`qualified`) or its TLSA records
// (`dane-only`). Only `check-mx` looks at that MX; `requiretls` and `trust-relay` cannot prove it.
function needsProof(p: PlannedRecipient): boolean {
  return p.decision.level === 'qualified' || p.decision.level === 'dane-only';
}

function unprovableReport(ctx: RelayContext, p: PlannedRecipient): RecipientReport {
  const code = p.decision.level === 'qualified' ? 'ENOTQUALIFIED' : 'EDANEREQUIRED';
  const message =
    `level ${p.decision.level} in relay mode needs recipientProtection 'check-mx': with ` +
    `'${ctx.protection}' nothing proves what the recipient's MX offers`;
  return failedReport(p, refusal(code, 'relay-check', message), { mxTried: [] }, relayProtectionOf(ctx, p));
}

/**
 * The relay's routing: level `qualified` and `dane-only` recipients are refused unless the protection
 * is `check-mx`; `check-mx` refuses the recipients whose MX failed the pre-send check; the rest
 * go in at most two transactions — those sent with REQUIRETLS and those without.
 */
export async function routeRelay(
  ctx: RelayContext,
  planned: readonly PlannedRecipient[],
  message: PreparedMessage,
): Promise<Routing> {
  const unprovable = ctx.protection === 'check-mx' ? [] : planned.filter(needsProof);
  const { pass, refused } = await checkRecipients(
    ctx.protection === 'check-mx' ? ctx.check : undefined,
    planned.filter((p) => !unprovable.includes(p)),
  );
  refused.push(...unprovable.map((p) => unprovableReport(ctx, p)));
  const withRequireTls = pass.filter((p) => requiresRequireTls(ctx, p, message));
  const without = pass.filter((p) => !requiresRequireTls(ctx, p, message));
  return { settled: refused, groups: [withRequireTls, without].filter((g) => g.length > 0) };
}

/**
 * One relay transaction for recipients that share REQUIRETLS or not: every session is TLS with the
 * relay's certificate verified (unless explicitly allowed otherwise) and checked before AUTH; a
 * recipient whose minimum TLS version the relay session does not meet is refused with the same
 * evidence check direct mode uses. Session failures become reports.
 */
export async function deliverRelay(
  ctx: RelayContext,
  group: readonly PlannedRecipient[],
  message: PreparedMessage,
): Promise<RecipientReport[]> {
  const host = ctx.spec.host;
  const protection = (p: PlannedRecipient) => relayProtectionOf(ctx, p);
  const requireTls = requiresRequireTls(ctx, group[0]!, message);
  let target = { address: host, port: ctx.port };
  const end = startAttempt(ctx.emit, ctx.clock, {
    host,
    ...target,
    level: ctx.spec.requirement.level,
    recipients: group,
  });
  let session: Session;
  try {
    const t = await resolveConnectTarget(host, ctx.port, { connect: ctx.connect });
    target = { address: t.host, port: t.port };
    session = await ctx.pool.acquire({ ...ctx.spec, ...target });
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    const why = error.classified;
    end('failed', { code: why.code }, target);
    return group.map((p) =>
      failedReport(p, why, { mx: host, mxTried: [host], relayHop: true }, protection(p)),
    );
  }
  const reports: RecipientReport[] = [];
  const sendable: PlannedRecipient[] = [];
  for (const p of group) {
    // The relay session was checked at the relay's requirement; a recipient may need a newer version.
    const shortfall = p.decision.tlsRequired
      ? checkEvidence(session.evidence, {
          level: 'encrypt',
          minVersion: p.decision.minVersion,
          fingerprints: [],
        })
      : undefined;
    if (shortfall === undefined) sendable.push(p);
    else
      reports.push(failedReport(p, evidenceRefusal(shortfall), { mx: host, mxTried: [host] }, protection(p)));
  }
  if (sendable.length === 0) {
    ctx.pool.release(session, true);
    return reports;
  }
  const options = {
    mxTried: [host],
    requireTls,
    annotate: (p: PlannedRecipient) => ({ relayProtection: protection(p) }),
  };
  const sent = await transact(ctx.pool, session, sendable, message, options, (outcome, extra) =>
    end(outcome, extra, { ...target, recipients: sendable }),
  );
  reports.push(...sent.reports);
  return reports;
}
