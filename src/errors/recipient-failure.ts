import type { RecipientCode } from './codes.js';
import type { TlsLevel } from './tls-levels.js';

/** Where in the SMTP conversation a recipient's delivery stopped. */
export type DeliveryPhase =
  | 'policy'
  | 'dns'
  | 'connect'
  | 'greeting'
  | 'ehlo'
  | 'starttls'
  | 'handshake'
  | 'certificate'
  | 'relay-check'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data';

/** What a person would have to whitelist to let this recipient through without TLS. */
export interface WhitelistRequest {
  /** Always `outbound`: the request concerns sending. */
  readonly direction: 'outbound';
  /** `domain` by default: a mail server is per domain. */
  readonly scope: 'domain' | 'address';
  /** The normalized domain (or address). */
  readonly value: string;
}

/** The fields every {@link RecipientFailure} has, whitelistable or not. */
export interface RecipientFailureFields {
  /** The recipient, normalized (`local@a-label-domain`). */
  readonly recipient: string;
  /** Its domain (lowercase A-label). */
  readonly domain: string;
  /** Why it was not delivered (see `ERROR_CODES`). */
  readonly code: RecipientCode;
  /** Where in the conversation it stopped. */
  readonly phase: DeliveryPhase;
  /** The level the policy required for this recipient. */
  readonly level: TlsLevel;
  /** The MX (or relay) host of the last attempt, if one was reached. */
  readonly mx?: string;
  /** Every host tried, in order, each once. */
  readonly mxTried: readonly string[];
  /**
   * Every address tried, as `host[address]:port`, in order: a host with several addresses (IPv4 and
   * IPv6, or more than one of each) is tried at each of them. Absent when no connection was attempted.
   */
  readonly addressesTried?: readonly string[];
  /** The SMTP command the failure followed (`STARTTLS`, `RCPT TO`, …). */
  readonly command?: string;
  /** The server's reply; see `untrusted`. */
  readonly response?: string;
  /** The reply's numeric code. */
  readonly responseCode?: number;
  /** True when `response` arrived before TLS: an attacker may have written it. */
  readonly untrusted: boolean;
  /** Whether retrying later may succeed. */
  readonly transient: boolean;
  /**
   * Seconds to wait before the first retry, set on every transient failure a transport reports:
   * Postfix's `minimal_backoff_time` (300). Later delays and when to give up: `retrySchedule`.
   * Absent when the failure is permanent.
   */
  readonly retryAfter?: number;
  /** A technical one-line description in English. */
  readonly message: string;
}

/** A refusal a whitelist entry would lift: a TLS refusal under a whitelistable rule. */
export interface WhitelistableRecipientFailure extends RecipientFailureFields {
  /** True: a whitelist entry would let this recipient through. */
  readonly mayWhitelist: true;
  /** What to whitelist. */
  readonly whitelistRequest: WhitelistRequest;
}

/** A failure no whitelist entry changes (not a TLS refusal, or a rule that is not whitelistable). */
export interface NotWhitelistableRecipientFailure extends RecipientFailureFields {
  /** False: whitelisting would not change the outcome. */
  readonly mayWhitelist: false;
  /** Never set. */
  readonly whitelistRequest?: undefined;
}

/**
 * Why one recipient was not delivered. Plain data: safe to log, store or send to a UI. Checking
 * `mayWhitelist` narrows the type: when it is `true`, `whitelistRequest` is set.
 *
 * `response` is the server's reply text. When `untrusted` is true it was received before TLS was
 * established, so an attacker on the path may have written it: never show it as the server's word.
 *
 * @example
 * ```ts
 * for (const r of error.recipients) {
 *   if (r.mayWhitelist) console.log(whitelistHint('de', r.whitelistRequest.value));
 * }
 * ```
 */
export type RecipientFailure = WhitelistableRecipientFailure | NotWhitelistableRecipientFailure;
