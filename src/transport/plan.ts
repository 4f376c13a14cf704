import type { Policy } from '../policy/policy.js';
import type { OutboundDecision, TlsLevel } from '../policy/types.js';
import type { WhitelistIndex } from '../policy/whitelist-index.js';
import type { DecisionSummary } from './types.js';

/** One envelope recipient with the policy's decision for it. */
export interface PlannedRecipient {
  /** The address as it goes into `RCPT TO` (as nodemailer built the envelope). */
  readonly address: string;
  readonly decision: OutboundDecision;
  /** The level enforced when it is above the decision's (a sender's REQUIRETLS raises it to `verify`). */
  readonly enforcedLevel?: TlsLevel;
}

/**
 * Asks the policy about every recipient. Pure and synchronous; a malformed address throws
 * `EADDRESS` before anything is sent, so a message is never half-delivered because of bad input.
 */
export function decideAll(
  policy: Policy,
  recipients: readonly string[],
  whitelist: WhitelistIndex | undefined,
  now: Date,
): PlannedRecipient[] {
  const options = whitelist === undefined ? { now } : { whitelist, now };
  return recipients.map((address) => ({ address, decision: policy.outbound(address, options) }));
}

/** Recipients that can share one SMTP transaction need the same TLS from the same session. */
export function requirementKey(decision: OutboundDecision): string {
  return `${decision.level}|${decision.minVersion}|${decision.fingerprints.join(',')}`;
}

/** Groups recipients by a key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** The decision as plain data for the report. */
export function summarize(decision: OutboundDecision): DecisionSummary {
  const summary = {
    level: decision.level,
    requiredLevel: decision.requiredLevel,
    source: decision.source,
    minVersion: decision.minVersion,
    whitelistable: decision.whitelistable,
    ...(decision.rule ? { rule: decision.rule.pattern } : {}),
  };
  // Built on first read (an enumerable getter, so JSON and spreads still show it): most reports of
  // delivered mail are never read, and the sentence costs more than the rest of the report.
  let explanation: string | undefined;
  return Object.defineProperty(summary, 'explanation', {
    enumerable: true,
    get: () => {
      explanation ??= decision.explain();
      return explanation;
    },
  }) as DecisionSummary;
}
