import type { TlsLevel } from '../policy/types.js';
import type { RecipientCode } from './codes.js';

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
  readonly direction: 'outbound';
  readonly scope: 'domain' | 'address';
  readonly value: string;
}

/**
 * Why one recipient was not delivered. Plain data: safe to log, store or send to a UI.
 *
 * `response` is the server's reply text. When `untrusted` is true it was received before TLS was
 * established, so an attacker on the path may have written it: never show it as the server's word.
 */
export interface RecipientFailure {
  readonly recipient: string;
  readonly domain: string;
  readonly code: RecipientCode;
  readonly phase: DeliveryPhase;
  /** The level the policy required for this recipient. */
  readonly level: TlsLevel;
  /** The MX (or relay) host of the last attempt, if one was reached. */
  readonly mx?: string;
  /** Every host tried, in order. */
  readonly mxTried: readonly string[];
  readonly command?: string;
  readonly response?: string;
  readonly responseCode?: number;
  readonly untrusted: boolean;
  readonly transient: boolean;
  readonly mayWhitelist: boolean;
  readonly whitelistRequest?: WhitelistRequest;
  /** A technical one-line description in English. */
  readonly message: string;
}
