import { isTlsRefusalCode } from '../errors/codes.js';
import type { RecipientFailure, RecipientFailureFields } from '../errors/recipient-failure.js';
import type { Classified } from './classify-error.js';
import { type PlannedRecipient, summarize } from './plan.js';
import type { AchievedTls, RecipientReport, RelayProtection, TlsFailure, WouldRefuse } from './types.js';

/** Where a failure happened: the host of the last attempt and every host tried. */
export interface FailureSite {
  readonly mx?: string;
  readonly mxTried: readonly string[];
  /**
   * The failure concerns the connection to the relay, not the recipient: a whitelist entry for the
   * recipient would not change it (relay connections are always TLS), so `mayWhitelist` is false.
   */
  readonly relayHop?: boolean;
}

/** Fills every field of a {@link RecipientFailure} from a classified failure. */
export function recipientFailure(
  planned: PlannedRecipient,
  classified: Classified,
  site: FailureSite,
): RecipientFailure {
  const { decision } = planned;
  // A level raised by the sender's REQUIRETLS cannot be lowered by a whitelist entry.
  const mayWhitelist =
    isTlsRefusalCode(classified.code) &&
    decision.whitelistable &&
    site.relayHop !== true &&
    planned.enforcedLevel === undefined;
  const fields: RecipientFailureFields = {
    recipient: planned.address,
    domain: decision.domain,
    code: classified.code,
    phase: classified.phase,
    level: planned.enforcedLevel ?? decision.level,
    ...(site.mx === undefined ? {} : { mx: site.mx }),
    mxTried: [...site.mxTried],
    ...(classified.command === undefined ? {} : { command: classified.command }),
    ...(classified.response === undefined ? {} : { response: classified.response }),
    ...(classified.responseCode === undefined ? {} : { responseCode: classified.responseCode }),
    untrusted: classified.untrusted,
    transient: classified.transient,
    message: classified.message,
  };
  return mayWhitelist
    ? {
        ...fields,
        mayWhitelist,
        whitelistRequest: { direction: 'outbound', scope: 'domain', value: decision.domain },
      }
    : { ...fields, mayWhitelist };
}

/** The report of a recipient that was not delivered. */
export function failedReport(
  planned: PlannedRecipient,
  failure: RecipientFailure,
  relayProtection?: RelayProtection,
): RecipientReport {
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
  const why: Classified = {
    code: 'EPROTOCOL',
    phase: 'connect',
    transient: true,
    untrusted: false,
    message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  };
  return group.map((p) => failedReport(p, recipientFailure(p, why, { mxTried: [] }), relayProtection?.(p)));
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
