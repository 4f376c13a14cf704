import type { SMTPServerOptions } from 'smtp-server';
import type { Clock } from '../internal/clock.js';
import type { Policy } from '../policy/policy.js';
import type { InboundDecision, InboundVerdict } from '../policy/types.js';
import type { WhitelistSource } from '../whitelist/source.js';

/** Why the guard accepted or rejected a `MAIL FROM`. */
export type InboundReason = InboundVerdict['reason'] | 'invalid_sender' | 'report_failed';

/** One accept/reject decision, for the host's audit trail. */
export interface InboundReport {
  /** ISO 8601 time of the decision (from `clock`). */
  readonly at: string;
  /** smtp-server's session id. */
  readonly sessionId: string;
  /** The envelope sender as the client sent it; `''` for the null sender `<>`. */
  readonly sender: string;
  /** The client's IP address. */
  readonly remoteAddress: string;
  /** Reverse-DNS name smtp-server resolved, if any. */
  readonly clientHostname: string | null;
  /** The HELO/EHLO name the client gave. */
  readonly helo: string | null;
  /** Negotiated protocol from the TLS socket (`TLSv1.3`), null for plaintext. */
  readonly protocol: string | null;
  /** Negotiated cipher (OpenSSL name), null for plaintext. */
  readonly cipher: string | null;
  /** Whether `MAIL FROM` was accepted or rejected. */
  readonly outcome: 'accept' | 'reject';
  /** Why (the policy verdict's reason, `invalid_sender` or `report_failed`). */
  readonly reason: InboundReason;
  /** The policy decision; null only for a malformed sender. */
  readonly decision: InboundDecision | null;
  /** The pattern of the rule that set the requirement, as written; null for the default. */
  readonly rule: string | null;
  /** The id of the whitelist entry that let the sender through in plaintext. */
  readonly whitelistEntry: string | null;
  /** The reply sent for a rejection. */
  readonly response: {
    /** The SMTP reply code, e.g. 530. */
    readonly code: number;
    /** The reply text. */
    readonly message: string;
  } | null;
  /** Set when the whitelist could not be read; the decision was then made without it (stricter). */
  readonly whitelistError?: string;
}

/** Options for {@link createInboundGuard}. */
export interface InboundGuardOptions {
  /** The policy whose `inbound` rules the guard enforces. */
  readonly policy: Policy;
  /**
   * The whitelist (from `createWhitelist`): an inbound entry lets that sender deliver in plaintext. Read per
   * `MAIL FROM`. @default none
   */
  readonly whitelist?: WhitelistSource;
  /**
   * Called for every decision before the reply is sent; awaited. If it throws, the command is
   * refused with `451 4.3.0` (an unrecorded decision is never an accepted one).
   */
  readonly onDecision?: (report: InboundReport) => void | Promise<void>;
  /**
   * `permanent`: `530 5.7.0 Must issue a STARTTLS command first` (the RFC 3207 reply; the sender
   * gets a bounce at once). `temporary`: `450 4.7.0 …`, so the sending MTA retries, perhaps with TLS.
   * @default 'permanent'
   */
  readonly rejectAs?: 'permanent' | 'temporary';
  /** @default () => new Date() */
  readonly clock?: Clock;
}

/** The structural subset of an smtp-server session the guard reads. */
export interface GuardSession {
  readonly id: string;
  readonly remoteAddress: string;
  readonly clientHostname?: string | false;
  readonly hostNameAppearsAs?: string | false;
  readonly secure: boolean;
}

/** An inbound guard; see {@link createInboundGuard}. */
export interface InboundGuard {
  /**
   * Returns a copy of `options` whose `onSecure`, `onMailFrom` and `onClose` run the guard and then
   * the host's own handlers (never replacing them). Pass the result to `new SMTPServer(…)`.
   */
  wrap(options: SMTPServerOptions): SMTPServerOptions;
}
