import { ERROR_CODES, isTlsRefusalCode, type RecipientCode } from '../errors/codes.js';
import type { DeliveryPhase, RecipientFailure, RecipientFailureFields } from '../errors/recipient-failure.js';
import { RETRY_SCHEDULE } from '../policy/index.js';
import type { PlannedRecipient } from './plan.js';

/**
 * Why a recipient, or a whole session, was not delivered — as data, before it is attached to the
 * recipients it concerns. Every way a recipient can be refused is built by {@link refusal}; the table
 * in docs/architecture.md lists them.
 */
export interface Refusal {
  readonly code: RecipientCode;
  /** Where the conversation stopped: the phase of the command whose reply failed or was missing. */
  readonly phase: DeliveryPhase;
  readonly transient: boolean;
  /** The SMTP command the failure followed (`STARTTLS`, `RCPT TO`, …). */
  readonly command?: string;
  /** The server's reply. */
  readonly response?: string;
  readonly responseCode?: number;
  /** True when `response` was received before TLS: an attacker may have written it. */
  readonly untrusted: boolean;
  /** A technical one-line description in English. */
  readonly message: string;
}

/** What a refusal may carry beyond its code, phase and message. */
export interface RefusalDetails {
  readonly command?: string | undefined;
  readonly response?: string | undefined;
  readonly responseCode?: number | undefined;
  /** @default false */
  readonly untrusted?: boolean;
  /** Overrides the default: from the reply code (4xx transient, 5xx but 503 permanent), else the code's. */
  readonly transient?: boolean;
}

function transientOf(code: RecipientCode, responseCode: number | undefined): boolean {
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) return true;
  if (responseCode !== undefined && responseCode >= 500 && responseCode !== 503) return false;
  return ERROR_CODES[code].transient;
}

/**
 * The one builder of a {@link Refusal}. `transient` follows the server's reply when there is one
 * (a 4xx reply may succeed later, a 5xx other than 503 will not) and otherwise the code's default
 * in `ERROR_CODES`.
 *
 * @example
 * ```ts
 * refusal('ETIMEOUT', 'mail', 'timed out (mail)'); // transient, as ERROR_CODES says
 * refusal('EREJECTED', 'rcpt', 'server rejected the recipient', { responseCode: 450, command: 'RCPT TO' });
 * ```
 */
export function refusal(
  code: RecipientCode,
  phase: DeliveryPhase,
  message: string,
  details: RefusalDetails = {},
): Refusal {
  const { command, response, responseCode } = details;
  return {
    code,
    phase,
    transient: details.transient ?? transientOf(code, responseCode),
    ...(command === undefined ? {} : { command }),
    ...(response === undefined ? {} : { response }),
    ...(responseCode === undefined ? {} : { responseCode }),
    untrusted: details.untrusted === true,
    message,
  };
}

/** Where a failure happened: the host of the last attempt and every host tried. */
export interface FailureSite {
  readonly mx?: string;
  readonly mxTried: readonly string[];
  /** Every address tried, `host[address]:port`, in order (a host can have several). */
  readonly addressesTried?: readonly string[];
  /**
   * The failure concerns the connection to the relay, not the recipient: a whitelist entry for the
   * recipient would not change it (relay connections are always TLS), so `mayWhitelist` is false.
   */
  readonly relayHop?: boolean;
  /**
   * The recipient publishes a requirement (MTA-STS `enforce`, DANE TLSA records) that applied: a
   * whitelist entry lowers only the local policy, never that, so `mayWhitelist` is false.
   */
  readonly published?: boolean;
}

/**
 * Attaches a refusal to one recipient: the {@link RecipientFailure} users see. `mayWhitelist` is
 * decided here and only here: a TLS refusal of a whitelistable decision, not about the relay hop, and
 * not raised by the sender's REQUIRETLS (which no whitelist entry can lower).
 */
export function recipientFailure(
  planned: PlannedRecipient,
  why: Refusal,
  site: FailureSite,
): RecipientFailure {
  const { decision } = planned;
  const mayWhitelist =
    isTlsRefusalCode(why.code) &&
    decision.whitelistable &&
    site.relayHop !== true &&
    site.published !== true &&
    planned.enforcedLevel === undefined;
  const fields: RecipientFailureFields = {
    recipient: planned.address,
    domain: decision.domain,
    code: why.code,
    phase: why.phase,
    level: planned.enforcedLevel ?? decision.level,
    ...(site.mx === undefined ? {} : { mx: site.mx }),
    mxTried: [...site.mxTried],
    ...(site.addressesTried?.length ? { addressesTried: [...site.addressesTried] } : {}),
    ...(why.command === undefined ? {} : { command: why.command }),
    ...(why.response === undefined ? {} : { response: why.response }),
    ...(why.responseCode === undefined ? {} : { responseCode: why.responseCode }),
    untrusted: why.untrusted,
    transient: why.transient,
    ...(why.transient ? { retryAfter: RETRY_SCHEDULE.minimalBackoffTime } : {}),
    message: why.message,
  };
  return mayWhitelist
    ? {
        ...fields,
        mayWhitelist,
        whitelistRequest: { direction: 'outbound', scope: 'domain', value: decision.domain },
      }
    : { ...fields, mayWhitelist };
}
