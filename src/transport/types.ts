import type { DaneDnssecStatus, DaneRequirementStatus } from '../dane/index.js';
import type { RecipientCode } from '../errors/codes.js';
import type { RecipientFailure } from '../errors/recipient-failure.js';
import type { MtaStsMode, MtaStsSource } from '../mta-sts/index.js';
import type {
  Authentication,
  DecisionSource,
  ProvenAuthentication,
  Tier,
  TierReason,
  TlsLevel,
  TlsVersion,
} from '../policy/index.js';
import type { WhitelistEntry } from '../whitelist/types.js';

/**
 * Time limits of one SMTP session, in milliseconds. nodemailer's own defaults (up to ten minutes per
 * reply) are far too long for a sender that must give up and try the next MX.
 */
export interface Timeouts {
  /** TCP connect. @default 10000 */
  readonly connect: number;
  /** The server's `220` greeting. @default 10000 */
  readonly greeting: number;
  /** The TLS handshake after `220` to STARTTLS (or at connect for implicit TLS). @default 10000 */
  readonly tls: number;
  /** Each reply to a command (EHLO, STARTTLS, MAIL, RCPT, DATA, the final dot). @default 30000 */
  readonly reply: number;
}

/** What DNSSEC and DANE said about the host of a session (a DNSSEC resolver was configured). */
export interface DaneEvidence {
  /** The host's DANE requirement (RFC 7672): `dane_required` when usable TLSA records exist. */
  readonly status: DaneRequirementStatus;
  /** The DNSSEC status of the MX, address and TLSA lookups. */
  readonly dnssec: DaneDnssecStatus;
  /** The TLSA record the certificate matched (DANE authenticated it). */
  readonly record?: {
    readonly usage: number;
    readonly selector: number;
    readonly matchingType: number;
  };
}

/** The recipient domain's MTA-STS policy as it applied to the host of a session. */
export interface MtaStsEvidence {
  readonly mode: MtaStsMode;
  /** Where the policy came from: `fetched`, `renewed`, `cached` (a cached policy decided) or `none`. */
  readonly source: MtaStsSource;
  /** The policy's TXT id. */
  readonly id?: string;
  /** The host matched one of the policy's `mx` patterns. */
  readonly mxMatched: boolean;
  /** The pattern it matched. */
  readonly pattern?: string;
  /** The policy authenticated this session: mode `enforce`, and DANE did not decide the host. */
  readonly applied: boolean;
}

/** The TLS a session achieved, read from the socket after the handshake. */
export interface AchievedTls {
  /** Negotiated protocol, e.g. `TLSv1.3`. */
  readonly protocol: string;
  /** Negotiated cipher (OpenSSL name), e.g. `TLS_AES_256_GCM_SHA384`. */
  readonly cipher: string;
  /** True when the chain was trusted and the name matched the host name (SNI = that name). */
  readonly certificateVerified: boolean;
  /** Node's reason when the certificate was not verified (`DEPTH_ZERO_SELF_SIGNED_CERT`, …). */
  readonly authorizationError?: string;
  /** Certificate subject common name. */
  readonly subject?: string;
  /** Certificate issuer common name. */
  readonly issuer?: string;
  /** Certificate expiry, ISO 8601 (as in the probe's result). */
  readonly validTo?: string;
  /** SHA-256 fingerprint of the certificate (`AB:CD:…`). */
  readonly fingerprint256?: string;
  /** The host name TLS was checked against: the MX host (direct) or the relay host (relay). */
  readonly mx: string;
  /** The tier the session reached (`encrypted` or `qualified`; see docs/security.md). */
  readonly tier: Tier;
  /** How the server was authenticated, the strongest proven: `none`, `pkix`, `mta-sts`, `dane` or `pinned`. */
  readonly authentication: Authentication;
  /** Every authentication the session proved (a pinned certificate can also be MTA-STS-valid). */
  readonly proven: readonly ProvenAuthentication[];
  /** Why the session is not `qualified`, as data; empty when it is. */
  readonly tierReasons: readonly TierReason[];
  /** DANE for this host (with a DNSSEC resolver). */
  readonly dane?: DaneEvidence;
  /** The recipient's MTA-STS policy for this host (direct mode, when one applies). */
  readonly mtaSts?: MtaStsEvidence;
}

/** How a recipient ended: every recipient ends in exactly one state. */
export type RecipientState = 'delivered' | 'refused' | 'rejected';

/**
 * How a relay-mode recipient that requires TLS was protected beyond the relay hop:
 * - `requiretls`: sent with REQUIRETLS (RFC 8689): the relay must deliver onward over TLS or bounce;
 * - `check-mx`: the recipient's MX passed a TLS check just before sending (not a guarantee for the
 *   onward hop, which the relay makes later);
 * - `trust-relay`: nothing was checked; the host trusts the relay to enforce TLS itself;
 * - `none`: the recipient did not require TLS.
 */
export type RelayProtection = 'requiretls' | 'check-mx' | 'trust-relay' | 'none';

/** The policy decision for one recipient, as plain data. */
export interface DecisionSummary {
  /** The level the policy decided (after a whitelist entry, if one applied). */
  readonly level: TlsLevel;
  /** The level before a whitelist entry lowered it. */
  readonly requiredLevel: TlsLevel;
  /** What decided: the default, a rule, or a whitelist entry. */
  readonly source: DecisionSource;
  /** The minimum TLS version. */
  readonly minVersion: TlsVersion;
  /** Whether a whitelist entry may lower the requirement. */
  readonly whitelistable: boolean;
  /** The rule pattern that set the requirement, if a rule did. */
  readonly rule?: string;
  /** The decision's `explain()` sentence. */
  readonly explanation: string;
}

/** What enforce mode would have done, reported in testing mode. */
export interface WouldRefuse {
  /** The code enforce mode would have refused with. */
  readonly code: RecipientCode;
  /** Why, in one line. */
  readonly message: string;
}

/** The TLS failure after which a `may` recipient was sent in plaintext. */
export interface TlsFailure {
  /** What failed (e.g. `EHANDSHAKE`, `ECERTUNTRUSTED`). */
  readonly code: RecipientCode;
  /** Why, in one line. */
  readonly message: string;
}

/** What happened to one recipient. */
export interface RecipientReport {
  /** The recipient, normalized. */
  readonly recipient: string;
  /** Its domain (lowercase A-label). */
  readonly domain: string;
  /** `delivered`, `refused` (for TLS) or `rejected` (by a server, or another failure). */
  readonly state: RecipientState;
  /** The policy decision for the recipient. */
  readonly decision: DecisionSummary;
  /**
   * The level actually enforced, when above `decision.level`: a message sent with REQUIRETLS
   * (`requireTLSExtensionEnabled`) is delivered at `verify` at least (RFC 8689 §4.2.1), even for a
   * recipient the policy or a whitelist entry allows at `may` or `encrypt`.
   */
  readonly enforcedLevel?: TlsLevel;
  /** The TLS of the session that delivered it; absent when it went in plaintext or was not delivered. */
  readonly tls?: AchievedTls;
  /**
   * The tier the delivery reached: `plaintext`, `encrypted` or `qualified` (DSK "obligatorische" and
   * "qualifizierte Transportverschlüsselung"); absent when it was not delivered. In relay mode it is
   * the tier of the hop to the relay.
   */
  readonly tier?: Tier;
  /** How the receiving server (relay mode: the relay) was authenticated; absent when not delivered. */
  readonly authentication?: Authentication;
  /** True when delivered without TLS (allowed only at level `may`). */
  readonly plaintext: boolean;
  /**
   * Level `may` only: the TLS failure (a failed handshake) after which it was sent over a second,
   * plaintext connection — what was lost. Set in enforce and testing mode alike.
   */
  readonly tlsFailure?: TlsFailure;
  /** The whitelist entry that allowed `may` for a recipient that otherwise requires TLS. */
  readonly whitelistEntry?: WhitelistEntry;
  /** Relay mode: how the onward hop was protected. */
  readonly relayProtection?: RelayProtection;
  /** The host that accepted (or refused) the recipient. */
  readonly mx?: string;
  /** The server's final reply when delivered (received over TLS unless `plaintext`). */
  readonly response?: string;
  /** Why it was not delivered. */
  readonly failure?: RecipientFailure;
  /** Testing mode: delivered, but enforce mode would have refused it for this reason. */
  readonly wouldRefuse?: WouldRefuse;
}

/** `info.tls` on the result of `sendMail`. */
export interface TlsDeliveryReport {
  /** Which transport delivered: straight to the MX hosts or through the relay. */
  readonly mode: 'direct' | 'relay';
  /** True when the transport ran in testing mode (nothing refused for TLS, `wouldRefuse` reported). */
  readonly testing: boolean;
  /** One report per envelope recipient, in envelope order. */
  readonly recipients: readonly RecipientReport[];
}

/** One delivery attempt (one SMTP session to one host), for the host app's records. */
export interface DeliveryAttempt {
  /** MX or relay host name. */
  readonly host: string;
  /** Address actually connected to. */
  readonly address: string;
  /** Port connected to. */
  readonly port: number;
  /** The level enforced on this session. */
  readonly level: TlsLevel;
  /** The recipients sent in this session. */
  readonly recipients: readonly string[];
  /** How the session ended for its recipients. */
  readonly outcome: 'delivered' | 'partial' | 'refused' | 'rejected' | 'failed';
  /** The failure code when the session did not deliver. */
  readonly code?: RecipientCode;
  /** The TLS the session achieved; absent when it stayed plaintext or failed before TLS. */
  readonly tls?: AchievedTls;
  /** The tier the session reached (`plaintext` for a plaintext session); absent when none was opened. */
  readonly tier?: Tier;
  /** How the server was authenticated; absent when no session was opened. */
  readonly authentication?: Authentication;
  /** When the attempt started (from the transport's clock). */
  readonly startedAt: Date;
  /** How long it took, in milliseconds (system clock). */
  readonly durationMs: number;
}

/**
 * Called once per delivery attempt (may be async). Whatever it throws or its promise rejects with is ignored:
 * a listener can never change a delivery.
 */
export type AttemptListener = (attempt: DeliveryAttempt) => void;
