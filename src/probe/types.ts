import type { MailHostResolution } from '../dns/mail-hosts.js';
import type { SessionFacts } from '../policy/index.js';
import type { HostBsi } from './bsi-types.js';
import type { HostDane, ProbeDane } from './dane-types.js';
import type { HostMtaSts, ProbeMtaSts } from './mta-sts-types.js';
import type { DomainTier, HostRefusal, HostTier } from './tier-types.js';

/**
 * The outcome for one MX host, most specific first:
 * - `starttls_ok`: TLS established, chain verified, name matches the MX host;
 * - `cert_expired` / `cert_invalid` / `cert_name_mismatch`: TLS established, but the certificate is
 *   expired or not yet valid / not trusted (self-signed, unknown CA, bad chain) / not for this MX name;
 * - `tls_version_too_old`: the server offers only TLS versions below `minVersion`;
 * - `handshake_failed`: STARTTLS accepted, then no TLS session (garbage, reset, alert);
 * - `starttls_refused`: STARTTLS advertised but answered with something other than `220`;
 * - `starttls_missing`: STARTTLS neither advertised nor accepted;
 * - `protocol_error`: greeting or EHLO refused, or a malformed reply;
 * - `timeout`: a phase took longer than its timeout;
 * - `unreachable`: no TCP connection (refused, no address).
 */
export type ProbeStatus =
  | 'starttls_ok'
  | 'starttls_missing'
  | 'starttls_refused'
  | 'handshake_failed'
  | 'tls_version_too_old'
  | 'cert_invalid'
  | 'cert_expired'
  | 'cert_name_mismatch'
  | 'unreachable'
  | 'timeout'
  | 'protocol_error';

/** The phase a host probe stopped in (or `done`). */
export type ProbePhase =
  | 'connect'
  | 'greeting'
  | 'ehlo'
  | 'starttls'
  | 'handshake'
  | 'ehlo-tls'
  | 'quit'
  | 'done';

/**
 * How the domain's mail hosts were found; the same lookup the direct transport makes (see
 * `MailHostResolution` in `src/dns/mail-hosts.ts`). `dns_error` means: try again later.
 */
export type ProbeResolution = MailHostResolution;

/**
 * Text the server sent **before TLS**. An attacker on the path can write it: show it as evidence,
 * never as the server's word.
 */
export interface UntrustedText {
  /** The text as received. */
  readonly text: string;
  /** Always true: received before TLS. */
  readonly untrusted: true;
}

/** The server certificate as seen in the handshake. */
export interface ProbeCertificate {
  /** Subject common name. */
  readonly subject: string;
  /** DNS names of the subjectAltName extension. */
  readonly subjectAltNames: readonly string[];
  /** Issuer common name. */
  readonly issuer: string;
  /** ISO 8601. */
  readonly validFrom: string;
  /** End of validity, ISO 8601. */
  readonly validTo: string;
  /** `now` (the probe's clock) is outside `validFrom`–`validTo`. */
  readonly expired: boolean;
  /** The chain verifies against `options.ca` or the system store. */
  readonly chainVerified: boolean;
  /** OpenSSL's verdict when the chain does not verify (`CERT_HAS_EXPIRED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …). */
  readonly chainError?: string;
  /** The certificate names the MX host (`tls.checkServerIdentity`). */
  readonly nameMatches: boolean;
  /** SHA-256 fingerprint, `AB:CD:…`, as policies pin it. */
  readonly fingerprint256: string;
}

/** The probe of one MX host. */
export interface HostProbe {
  /** The MX host name (or the domain itself for the A fallback). */
  readonly host: string;
  /** MX preference; `undefined` for the A fallback. */
  readonly priority: number | undefined;
  /** The outcome (see {@link ProbeStatus}). */
  readonly status: ProbeStatus;
  /** The phase the probe stopped in, `done` after a complete conversation. */
  readonly phase: ProbePhase;
  /** Whether a TCP connection was made. */
  readonly reachable: boolean;
  /** The greeting, received before TLS. */
  readonly banner?: UntrustedText;
  /** Whether the plaintext EHLO reply listed STARTTLS. */
  readonly starttlsOffered?: boolean;
  /** The reply to STARTTLS, received before TLS. */
  readonly starttlsReply?: UntrustedText;
  /** Bytes received after the STARTTLS reply and before TLS; discarded (RFC 3207 §6). Non-zero hints at injection. */
  readonly discardedBytes?: number;
  /** Negotiated protocol (`TLSv1.3`) and cipher (OpenSSL name, as in the transports' reports). */
  readonly protocol?: string;
  /** Negotiated cipher (OpenSSL name), when TLS was established. */
  readonly cipher?: string;
  /** The server certificate, when TLS was established. */
  readonly certificate?: ProbeCertificate;
  /** EHLO extensions after TLS (e.g. `REQUIRETLS`). */
  readonly extensionsTls?: readonly string[];
  /** What went wrong, as a code (`ECONNREFUSED`, `ERR_SSL_WRONG_VERSION_NUMBER`, …) and a message. */
  readonly error?: {
    /** The code (`ECONNREFUSED`, `ERR_SSL_WRONG_VERSION_NUMBER`, …). */
    readonly code: string;
    /** The message. */
    readonly message: string;
  };
  /** How long the probe of this host took, in milliseconds. */
  readonly durationMs: number;
  // The fields below are always set by `probeDomain` and `createProber`; they are optional so that
  // results built elsewhere (tests, stored results) still type-check. Absent never counts as proven.
  /**
   * The evidence the tier was assessed from (`assessTier`): the session's TLS facts
   * (`readSessionFacts`), and the MTA-STS and DANE facts with DANE taking precedence (RFC 8461 §2).
   * Never a pin: `checkDomainLevel` adds `fingerprintPinned` for the pins it is given.
   */
  readonly facts?: SessionFacts;
  /** The session against the BSI TR-02102-2 profile. */
  readonly bsi?: HostBsi;
  /** The host under the domain's MTA-STS policy (mode `enforce` or `testing` only). */
  readonly mtaSts?: HostMtaSts;
  /** DANE for this host (only with a `dnssec` resolver). */
  readonly dane?: HostDane;
  /** Authentication and tier of the session, with the reasons it is not qualified. */
  readonly tier?: HostTier;
  /** Set when the recipient's DANE or `enforce` MTA-STS policy forbids delivering to this host now. */
  readonly refused?: HostRefusal;
}

/** Which policy levels the domain satisfies: only if **every** host does (a sender may land on any). */
export interface ProbeLevels {
  /** Every host offers TLS at the minimum version (level `encrypt`). */
  readonly encrypt: boolean;
  /** Every host offers TLS with a verified certificate for its name (level `verify`). */
  readonly verify: boolean;
  /**
   * Every host's session is of the `qualified` tier and no host is refused by the recipient's DANE
   * or MTA-STS policy (without local pins; `checkDomainLevel` takes those into account).
   */
  readonly qualified?: boolean;
}

/** The result of probing one domain. Plain, JSON-serialisable data. */
export interface ProbeResult {
  /** The domain probed (lowercase A-label). */
  readonly domain: string;
  /** ISO 8601, from the probe's clock. */
  readonly checkedAt: string;
  /** How the mail hosts were found (`mx`, `a_fallback`, `null_mx`, `nxdomain`, `no_mail_server`, `dns_error`). */
  readonly resolution: ProbeResolution;
  /** The DNS error code (`ETIMEOUT`, `ESERVFAIL`, …) for `dns_error` and `nxdomain`. */
  readonly dnsError?: string;
  /** Hosts in preference order (lowest MX priority first). */
  readonly hosts: readonly HostProbe[];
  /** Which levels the domain satisfies. */
  readonly satisfies: ProbeLevels;
  /** Fingerprints of every certificate seen, to check against a `fingerprint` pin. */
  readonly fingerprints: readonly string[];
  // Always set by `probeDomain` and `createProber` (optional for results built elsewhere).
  /** The domain's MTA-STS policy and which MX hosts match it. */
  readonly mtaSts?: ProbeMtaSts;
  /** The DNSSEC status of the MX RRset (DANE), or `off`. */
  readonly dane?: ProbeDane;
  /** The best tier a sender can count on: the weakest host it may use decides. */
  readonly tier?: DomainTier;
}
