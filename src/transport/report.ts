import { isTlsRefusalCode } from '../errors/codes.js';
import { errorMessage } from '../internal/error-code.js';
import { type PlannedRecipient, summarize } from './plan.js';
import { type FailureSite, type Refusal, recipientFailure, refusal } from './refusal.js';
import type { AchievedTls, RecipientReport, RelayProtection, TlsFailure, WouldRefuse } from './types.js';

/** The report of a recipient that was not delivered: `why` attached to it at `site`. */
export function failedReport(
  planned: PlannedRecipient,
  why: Refusal,
  site: FailureSite,
  relayProtection?: RelayProtection,
): RecipientReport {
  const failure = recipientFailure(planned, why, site);
  return {
    ...base(planned),
    state: isTlsRefusalCode(failure.code) ? 'refused' : 'rejected',
    plaintext: false,
    ...(relayProtection === undefined ? {} : { relayProtection }),
    ...(failure.mx === undefined ? {} : { mx: failure.mx }),
    failure,
  };
}

/**
 * The reports of a group that failed with an unexpected error (a bug, a broken resolver or hook, not
 * a session failure): `EPROTOCOL`, transient, so the group is reported failed while the other groups
 * keep their reports — a retry of the rejected recipients duplicates nothing.
 */
export function unexpectedFailureReports(
  group: readonly PlannedRecipient[],
  error: unknown,
  relayProtection?: (planned: PlannedRecipient) => RelayProtection,
): RecipientReport[] {
  const why = refusal('EPROTOCOL', 'connect', `unexpected error: ${errorMessage(error)}`);
  return group.map((p) => failedReport(p, why, { mxTried: [] }, relayProtection?.(p)));
}

/** What is known about a delivered recipient. */
export interface Delivered {
  readonly tls: AchievedTls | undefined;
  readonly mx: string;
  readonly response: string;
  readonly relayProtection?: RelayProtection;
  readonly wouldRefuse?: WouldRefuse;
  readonly tlsFailure?: TlsFailure;
}

/** The report of a delivered recipient. */
export function deliveredReport(planned: PlannedRecipient, delivered: Delivered): RecipientReport {
  return {
    ...base(planned),
    state: 'delivered',
    ...(delivered.tls === undefined ? {} : { tls: delivered.tls }),
    tier: delivered.tls?.tier ?? 'plaintext',
    authentication: delivered.tls?.authentication ?? 'none',
    plaintext: delivered.tls === undefined,
    ...(delivered.tlsFailure === undefined ? {} : { tlsFailure: delivered.tlsFailure }),
    ...(delivered.relayProtection === undefined ? {} : { relayProtection: delivered.relayProtection }),
    mx: delivered.mx,
    response: delivered.response,
    ...(delivered.wouldRefuse === undefined ? {} : { wouldRefuse: delivered.wouldRefuse }),
  };
}

function base(planned: PlannedRecipient) {
  const { decision } = planned;
  return {
    recipient: planned.address,
    domain: decision.domain,
    decision: summarize(decision),
    ...(planned.enforcedLevel === undefined ? {} : { enforcedLevel: planned.enforcedLevel }),
    ...(decision.source === 'whitelist' && decision.entry ? { whitelistEntry: decision.entry } : {}),
  };
}
