import type { InboundDecision, InboundVerdict } from '../policy/types.js';

/** Whether one hop was received over TLS, as far as its Received header tells. */
export type ReceivedTls = 'tls' | 'plaintext' | 'unknown';

/**
 * Which part of a Received header gave the TLS answer:
 * - `postfix`: `(using TLSv1.3 with cipher … (256/256 bits))`;
 * - `version_cipher`: `(version=TLS1_2, cipher=…)` (Exchange), `(version=TLS1_3 cipher=… bits=…)` (Gmail, Sendmail);
 * - `tls_colon`: `(TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256)` (Exim before 4.92), `(TLSv1.2:… encrypted)` (T-Online);
 * - `exim`: `(TLS1.3) tls TLS_AES_256_GCM_SHA384` (Exim 4.92 and later);
 * - `rfc3848`: the `with` keyword alone (`ESMTPS`, `ESMTPSA`, `LMTPS`, … or plaintext `SMTP`, `ESMTP`, `ESMTPA`, `LMTP`);
 * - `none`: nothing recognized (then `tls` is `unknown`).
 */
export type ReceivedTlsEvidence = 'postfix' | 'version_cipher' | 'tls_colon' | 'exim' | 'rfc3848' | 'none';

/**
 * Why a hop could not be read: `too_long` (not parsed), `no_by`, `repeated_clause` (a clause keyword
 * appeared twice outside comments, e.g. a HELO name with spaces; `fromIp` null, TLS `unknown`).
 */
export type ReceivedHopProblem = 'too_long' | 'no_by' | 'repeated_clause';

/** One Received header, parsed. Index 0 is the topmost (newest) header. */
export interface ReceivedHop {
  /** Position in the header block, 0 = topmost (the last hop the message took). */
  readonly index: number;
  /** The unfolded header value (at most `maxHeaderLength` characters). */
  readonly raw: string;
  /** The name after `from`: a HELO name or a reverse-DNS name depending on the MTA. Never trusted. */
  readonly from: string | null;
  /** The client IP address the receiving host recorded in the `from` clause. */
  readonly fromIp: string | null;
  /** The receiving host named after `by` (lowercase). */
  readonly by: string | null;
  /** The first word after `with`, uppercase (`ESMTPS`, `LMTP`, `MICROSOFT`…). */
  readonly with: string | null;
  /** Whether this hop was received over TLS, as far as the header tells. */
  readonly tls: ReceivedTls;
  /** Protocol in `socket.getProtocol()` form (`TLSv1.2`, `TLSv1.3`), when the header states it. */
  readonly tlsVersion: string | null;
  /** The cipher, when the header states it. */
  readonly cipher: string | null;
  /** Which part of the header gave the TLS answer. */
  readonly evidence: ReceivedTlsEvidence;
  /** True when `by` is one of the trusted hosts: this header was written by a host you run. */
  readonly trusted: boolean;
  /** True when `fromIp` is a trusted address: the hop came from one of your own hosts. */
  readonly fromTrusted: boolean;
  /** The date after the last `;`, as written. */
  readonly date: string | null;
  /** Why the hop could not be read fully, when it could not. */
  readonly problem?: ReceivedHopProblem;
}

/**
 * How the trusted boundary was found:
 * - `boundary_found`: the hop into your hosts was identified; `tls` is its answer;
 * - `no_received_headers`: the message has none;
 * - `top_hop_untrusted`: the topmost header was not written by a trusted host;
 * - `trusted_chain_broken`: a trusted host received from a trusted address whose own header is missing or
 *   was written by an unlisted host;
 * - `no_boundary`: every header is internal, or the chain starts at a trusted host without a `from`
 *   (locally submitted mail).
 */
export type ReceivedStatus =
  | 'boundary_found'
  | 'no_received_headers'
  | 'top_hop_untrusted'
  | 'trusted_chain_broken'
  | 'no_boundary';

/** Whether a message met its sender's inbound rule, judged from the boundary hop. */
export interface ReceivedRuleCheck {
  /** `undetermined` when the headers cannot tell (unknown format, TLS version not stated, no boundary). */
  readonly outcome: 'met' | 'not_met' | 'undetermined';
  /** Why: the policy verdict's reason, or why the headers cannot tell. */
  readonly reason: InboundVerdict['reason'] | 'tls_unknown' | 'tls_version_unknown' | 'invalid_sender';
  /** The policy's decision for the sender (null when the sender address is malformed). */
  readonly decision: InboundDecision | null;
  /** The verdict of `evaluateInbound`, when the boundary hop gave enough to evaluate. */
  readonly verdict: InboundVerdict | null;
}

/** The result of {@link analyzeReceived}. */
export interface ReceivedAnalysis {
  /** How the trusted boundary was found (see {@link ReceivedStatus}). */
  readonly status: ReceivedStatus;
  /** The boundary hop's TLS answer; `unknown` without a boundary. */
  readonly tls: ReceivedTls;
  /** The boundary hop's TLS version, when its header states it. */
  readonly tlsVersion: string | null;
  /** The boundary hop's cipher, when its header states it. */
  readonly cipher: string | null;
  /** The hop into the trusted boundary: the only hop that decides. */
  readonly boundary: ReceivedHop | null;
  /** Every Received header analysed, topmost first; hops below the boundary are reported, never used. */
  readonly hops: readonly ReceivedHop[];
  /** True when the input exceeded `maxHeaderBytes` or `maxHops` and only its top part was read. */
  readonly truncated: boolean;
  /** Present when `policy` and `sender` were given. */
  readonly rule?: ReceivedRuleCheck;
}
