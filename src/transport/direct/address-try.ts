import type { EnforcedRequirement } from '../../policy/requirement.js';
import { startAttempt, transact } from '../attempt.js';
import type { PlannedRecipient } from '../plan.js';
import type { PreparedMessage } from '../prepared-message.js';
import type { Refusal } from '../refusal.js';
import { SessionError } from '../session/open-session.js';
import { proofKey, withCurrentPolicy } from '../session/session-authentication.js';
import type { RecipientReport } from '../types.js';
import type { DirectContext } from './direct-context.js';
import { type Acquired, acquireWithMayFallback } from './may-fallback.js';
import type { HostPlan } from './recipient-publishes.js';
import { wouldRefuse } from './would-refuse.js';

/** One address of one MX host, and what a session there must prove. */
export interface AddressTry {
  readonly host: string;
  readonly target: { readonly address: string; readonly port: number };
  /** What enforce mode requires. */
  readonly required: EnforcedRequirement;
  /** What this session enforces (testing mode may have lowered the local policy's part). */
  readonly requirement: EnforcedRequirement;
  readonly plan: Extract<HostPlan, { use: true }>;
  /** Hosts and addresses tried so far (this one is added), and whether the recipient published a requirement. */
  readonly tried: {
    readonly mxTried: string[];
    readonly addressesTried: string[];
    readonly published: boolean;
  };
}

/**
 * One delivery attempt at one address: a checked session (proving the requirement, with the plan's
 * DANE and MTA-STS facts, before `MAIL FROM`), then the transaction. Resolves with the reports when
 * this host decided the outcome, or with why another address or host may be tried.
 */
export async function tryAddress(
  ctx: DirectContext,
  group: readonly PlannedRecipient[],
  message: PreparedMessage,
  at: AddressTry,
): Promise<{ reports: RecipientReport[] } | { retry: Refusal }> {
  const { host, target, required, requirement, plan, tried } = at;
  tried.addressesTried.push(`${host}[${target.address}]:${target.port}`);
  const end = startAttempt(ctx.emit, ctx.clock, {
    host,
    ...target,
    level: requirement.level,
    recipients: group,
  });
  let acquired: Acquired;
  try {
    acquired = await acquireWithMayFallback(ctx.pool, {
      key: [
        host,
        target.address,
        target.port,
        requirement.level,
        required.minVersion,
        required.fingerprints.join(','),
        requirement.authentication ?? '',
        proofKey(plan.authentication),
        ctx.bsiProfile,
      ].join('|'),
      host,
      address: target.address,
      port: target.port,
      implicitTls: false,
      requirement,
      name: ctx.name,
      timeouts: ctx.timeouts,
      authentication: plan.authentication,
      bsiProfile: ctx.bsiProfile,
      ...(ctx.ca ? { ca: ctx.ca } : {}),
    });
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    end('failed', { code: error.classified.code });
    return { retry: error.classified };
  }
  const { session, tlsFailure: lost } = acquired;
  const verdict =
    plan.testingRefusal ??
    (requirement.level !== required.level &&
    (group[0]!.decision.tlsRequired || required.authentication !== undefined)
      ? wouldRefuse(acquired, required)
      : undefined);
  const options = {
    mxTried: tried.mxTried,
    addressesTried: tried.addressesTried,
    published: tried.published || required.authentication !== undefined,
    // The sender asked for REQUIRETLS (RFC 8689): an MX without it fails the transaction, the next MX is tried.
    requireTls: message.requireTls,
    evidence: withCurrentPolicy(session.evidence, plan.authentication),
    annotate: () => ({
      ...(verdict ? { wouldRefuse: { code: verdict.code, message: verdict.message } } : {}),
      ...(lost ? { tlsFailure: { code: lost.code, message: lost.message } } : {}),
    }),
  };
  const result = await transact(ctx.pool, session, group, message, options, end);
  return result.retryElsewhere ? { retry: result.retryElsewhere } : { reports: result.reports };
}
