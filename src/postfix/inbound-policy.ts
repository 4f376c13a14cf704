import { argumentError, ForcedTlsError, isForcedTlsError, isInstance } from '../errors/index.js';
import { type InboundReason, type InboundReport, rejectionReply } from '../inbound/index.js';
import { evaluateInbound, type InboundDecision, type InboundTlsState } from '../policy/index.js';
import type { Clock, WhitelistSource } from '../whitelist/index.js';
import { whitelistFailureText } from '../whitelist/index.js';
import { readOptions } from './check-arguments.js';
import { FreshWhitelist } from './fresh-whitelist.js';
import type { PolicyAttributes } from './policy-request-reader.js';
import { checkPolicySource, currentPolicy, type PolicySource } from './policy-source.js';

/** Options of the inbound policy service (see `createPolicyDelegationServer`). */
export interface InboundPolicyOptions {
  /** The policy whose `inbound` rules are enforced (or a function returning the current one). */
  readonly policy: PolicySource;
  /** Inbound whitelist. When it cannot be read the decision is made without it (stricter). */
  readonly whitelist?: WhitelistSource;
  /**
   * `permanent`: `530 5.7.0 Must issue a STARTTLS command first`; `temporary`: `450 4.7.0 …`,
   * so the sending MTA retries. The same choice as the inbound guard's. @default 'permanent'
   */
  readonly rejectAs?: 'permanent' | 'temporary';
  /**
   * Called and awaited with every decision, before the reply. If it throws, the request is
   * answered `451 4.3.0` (an unrecorded decision is never an accepted one).
   */
  readonly onDecision?: (report: InboundReport) => void | Promise<void>;
  /** @default () => new Date() */
  readonly clock?: Clock;
}

/** The reply to one policy request and the report behind it (none when nothing was decided). */
export interface InboundPolicyAnswer {
  /** The `action=` value: `DUNNO` or `NNN X.Y.Z text`. */
  readonly action: string;
  /**
   * The decision's report, as `onDecision` received it (`reject`/`report_failed` when `onDecision`
   * threw); absent before `MAIL FROM` and when no decision could be made (answered `451 4.3.0`).
   */
  readonly report?: InboundReport;
}

// A request as PolicyRequestReader gives it: a Map of attribute names to string values.
function checkRequest(request: unknown): void {
  if (!isInstance(request, Map)) throw argumentError('request', request, 'a Map of policy attributes');
  for (const [name, value] of Map.prototype.entries.call(request)) {
    if (typeof name !== 'string' || typeof value !== 'string') {
      throw argumentError('request', value, 'a Map of attribute names to string values');
    }
  }
}

/** The fields of {@link InboundPolicyOptions}, read once. */
export const INBOUND_POLICY_FIELDS = {
  policy: 'any',
  whitelist: 'any',
  rejectAs: 'any',
  onDecision: 'function',
  clock: 'any',
} as const;

// Before MAIL FROM there is no sender and STARTTLS has not had its chance: nothing to decide.
const UNDECIDED_STATES = new Set(['CONNECT', 'EHLO', 'HELO', 'ETRN', 'VRFY']);
const NO_DETAILS = { protocol: null, minVersion: '' } as const;

/**
 * Decides one policy-delegation request with the inbound guard's rules: the envelope `sender`
 * and the session's `encryption_protocol` go through the same `evaluateInbound`; an accepted
 * request is answered `DUNNO` (the next restriction decides), a refused one with the guard's
 * reply. Requests before `MAIL FROM` (`protocol_state` CONNECT, EHLO, HELO, ETRN, VRFY) are
 * `DUNNO` without a report.
 *
 * @example
 * ```ts
 * const decide = createInboundPolicy({ policy, onDecision: (r) => audit.write(r) });
 * const { action } = await decide(new Map([['request', 'smtpd_access_policy'], ['protocol_state', 'RCPT'],
 *   ['sender', 'client@bank.de'], ['encryption_protocol', '']]));
 * // action === '530 5.7.0 Must issue a STARTTLS command first' for an inbound rule on bank.de
 * ```
 */
export function createInboundPolicy(
  input: InboundPolicyOptions,
): (request: PolicyAttributes) => Promise<InboundPolicyAnswer> {
  const options = readOptions(input, INBOUND_POLICY_FIELDS, 'inbound policy option') as InboundPolicyOptions;
  const source = checkPolicySource(options.policy);
  const rejectAs = options.rejectAs ?? 'permanent';
  if (rejectAs !== 'permanent' && rejectAs !== 'temporary') {
    throw new ForcedTlsError('EPOLICY', `rejectAs must be 'permanent' or 'temporary'`, {
      path: 'rejectAs',
      value: rejectAs,
    });
  }
  const whitelist = new FreshWhitelist(options.whitelist);
  const clock = options.clock ?? (() => new Date());
  const failure = rejectionReply('report_failed', rejectAs, NO_DETAILS, true);
  const failed = `${failure.code} ${failure.message}`;

  async function judge(request: PolicyAttributes): Promise<InboundReport> {
    const now = clock();
    const sender = request.get('sender') ?? '';
    const protocol = request.get('encryption_protocol') || null;
    const cipher = request.get('encryption_cipher') || null;
    const tls: InboundTlsState = cipher === null ? { protocol } : { protocol, cipher };
    let index: Awaited<ReturnType<FreshWhitelist['read']>>;
    let whitelistError: string | undefined;
    try {
      index = await whitelist.read();
    } catch (error) {
      whitelistError = whitelistFailureText(error);
    }
    const policy = currentPolicy(source);
    let decision: InboundDecision | null = null;
    let accept: boolean;
    let reason: InboundReason;
    try {
      decision = policy.inbound(sender, { now, ...(index === undefined ? {} : { whitelist: index }) });
      const verdict = evaluateInbound(decision, tls);
      [accept, reason] = [verdict.accept, verdict.reason];
    } catch (error) {
      if (!isForcedTlsError(error) || error.code !== 'EADDRESS') throw error;
      [accept, reason] = [false, 'invalid_sender'];
    }
    const details = { protocol, minVersion: decision?.minVersion ?? policy.defaults.inbound.minVersion };
    const client = request.get('client_name');
    return {
      at: now.toISOString(),
      sessionId: request.get('instance') ?? '',
      sender,
      remoteAddress: request.get('client_address') ?? '',
      clientHostname: client === undefined || client === '' || client === 'unknown' ? null : client,
      helo: request.get('helo_name') || null,
      protocol,
      cipher,
      outcome: accept ? 'accept' : 'reject',
      reason,
      decision,
      rule: decision?.rule?.pattern ?? null,
      whitelistEntry: decision?.entry?.id ?? null,
      response: accept ? null : rejectionReply(reason, rejectAs, details, true),
      ...(whitelistError === undefined ? {} : { whitelistError }),
    };
  }

  return async (request) => {
    checkRequest(request);
    if (UNDECIDED_STATES.has(request.get('protocol_state')?.toUpperCase() ?? '')) return { action: 'DUNNO' };
    let report: InboundReport;
    try {
      report = await judge(request);
    } catch {
      return { action: failed };
    }
    try {
      await options.onDecision?.(report);
    } catch {
      return {
        action: failed,
        report: { ...report, outcome: 'reject', reason: 'report_failed', response: failure },
      };
    }
    const action = report.response === null ? 'DUNNO' : `${report.response.code} ${report.response.message}`;
    return { action, report };
  };
}
