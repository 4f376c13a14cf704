import type { TlsLevel, TlsVersion } from '../errors/tls-levels.js';
import type { Direction, MatchScope } from './scope.js';
import type { WhitelistEntry } from './whitelist-entry.js';

export type { TlsLevel, TlsVersion } from '../errors/tls-levels.js';
export { TLS_LEVELS, TLS_VERSIONS } from '../errors/tls-levels.js';
export type { Direction, MatchScope } from './scope.js';

/** One rule as written in configuration (code or JSON policy file). */
export interface RuleConfig {
  /** `example.de` (that domain only), `*.example.de` or `.example.de` (any subdomain, any depth), `user@example.de`. */
  readonly match: string;
  /** Required level. For inbound rules only `may` and `encrypt` are meaningful. */
  readonly level: TlsLevel;
  /** Stricter minimum TLS version for this rule. */
  readonly minVersion?: TlsVersion;
  /** SHA-256 fingerprints (hex, colons optional) for `fingerprint`. */
  readonly fingerprints?: readonly string[];
  /**
   * Whether a whitelist entry may lower this rule to `may`.
   * @default true
   */
  readonly whitelistable?: boolean;
  /** Free text shown by `explain()`, e.g. "contract with insurer, §4". */
  readonly note?: string;
  /** Allow a rule on a public suffix such as `*.de`. @default false */
  readonly allowPublicSuffix?: boolean;
}

/** Rules for one direction. */
export interface DirectionConfig {
  /**
   * The level for everything no rule matches. Outbound defaults to `encrypt` (outbound-all);
   * set `may` for "only listed recipients require TLS". Inbound defaults to `may`.
   */
  readonly default?: TlsLevel;
  /** Minimum TLS version for every TLS level. @default 'TLSv1.2' */
  readonly minVersion?: TlsVersion;
  /** Whether the default may be lowered by a whitelist entry. @default true */
  readonly defaultWhitelistable?: boolean;
  /** Rules for particular domains, subdomains or addresses; the most specific match wins. @default [] */
  readonly rules?: readonly RuleConfig[];
}

/** A policy, as passed to `createPolicy` or stored in a JSON policy file. */
export interface PolicyConfig {
  /** Rules for sending (recipients). @default { default: 'encrypt' } */
  readonly outbound?: DirectionConfig;
  /** Rules for receiving (senders). @default { default: 'may' } */
  readonly inbound?: DirectionConfig;
}

/** Where a rule came from, for `explain()`. */
export interface RuleOrigin {
  /** File name, when loaded from a file. */
  readonly file?: string;
  /** 1-based line of the rule in that file. */
  readonly line?: number;
  /** JSON path, e.g. `outbound.rules[3]`. */
  readonly path: string;
}

/** A validated, normalized rule. */
export interface PolicyRule {
  /** Whether the rule applies to sending or receiving. */
  readonly direction: Direction;
  /** What the pattern matches: one address, one domain, or every subdomain. */
  readonly scope: MatchScope;
  /** Normalized value: lowercase A-label domain, or `local@domain` for addresses. */
  readonly value: string;
  /** The pattern as written. */
  readonly pattern: string;
  /** The level the rule requires. */
  readonly level: TlsLevel;
  /** The minimum TLS version (the rule's own, else the direction's). */
  readonly minVersion: TlsVersion;
  /** Pinned SHA-256 fingerprints (uppercase hex with colons), for `fingerprint`. */
  readonly fingerprints: readonly string[];
  /** Whether a whitelist entry may lower the rule to `may`. */
  readonly whitelistable: boolean;
  /** The rule's free-text note, shown by `explain()`. */
  readonly note?: string;
  /** Where the rule was written (file, line, JSON path). */
  readonly origin: RuleOrigin;
}

/** Why a decision came out the way it did. */
export type DecisionSource = 'default' | 'rule' | 'whitelist';

interface DecisionBase {
  /** Normalized domain (lowercase A-label). */
  readonly domain: string;
  /** The level to enforce. */
  readonly level: TlsLevel;
  /** Minimum TLS version when TLS is used. */
  readonly minVersion: TlsVersion;
  /** Pinned fingerprints (normalized uppercase hex with colons) when `level` is `fingerprint`. */
  readonly fingerprints: readonly string[];
  /** What decided: the direction's default, a rule, or a whitelist entry that lowered it. */
  readonly source: DecisionSource;
  /** The rule that set the requirement (also when a whitelist entry then lowered it). */
  readonly rule?: PolicyRule | undefined;
  /** The whitelist entry that lowered the requirement to `may`. */
  readonly entry?: WhitelistEntry | undefined;
  /** The level the policy required before a whitelist entry lowered it. */
  readonly requiredLevel: TlsLevel;
  /** Whether a whitelist entry could lower (or has lowered) the requirement. */
  readonly whitelistable: boolean;
  /** True when plaintext is not allowed (`level !== 'may'`). */
  readonly tlsRequired: boolean;
  /** A sentence a person can read. */
  explain(): string;
}

/** What TLS one outbound recipient requires, and why. */
export interface OutboundDecision extends DecisionBase {
  /** Always `outbound`. */
  readonly direction: 'outbound';
  /** Normalized address (`local@a-label-domain`, local part as written). */
  readonly recipient: string;
}

/** What TLS mail from one sender requires on arrival, and why. */
export interface InboundDecision extends DecisionBase {
  /** Always `inbound`. */
  readonly direction: 'inbound';
  /** Normalized sender address, or `''` for the null sender `<>`. */
  readonly sender: string;
}

/** Either kind of decision; `direction` tells them apart. */
export type Decision = OutboundDecision | InboundDecision;

/** The TLS state of an inbound session, as seen by the receiving server. */
export interface InboundTlsState {
  /** Negotiated protocol (`socket.getProtocol()`), or null for plaintext. */
  readonly protocol: string | null;
  /** Negotiated cipher (OpenSSL name), when TLS was used. */
  readonly cipher?: string;
}

/** The verdict on an inbound message given its decision and the session's TLS state. */
export interface InboundVerdict {
  /** Whether the message may be accepted. */
  readonly accept: boolean;
  /** Why, for the audit trail and the SMTP reply. */
  readonly reason: 'tls_ok' | 'tls_not_required' | 'whitelisted' | 'tls_missing' | 'tls_version_too_old';
  /** The policy decision the verdict is based on. */
  readonly decision: InboundDecision;
}

/**
 * What TLS delivering to a destination domain requires, for every recipient there that no
 * address rule or address entry names. A mail server (Postfix's TLS policy table, a probe) sees a
 * next-hop domain, not a recipient address: this is the decision it can act on.
 */
export interface DomainDecision {
  /** Always `outbound`: domain decisions exist for sending only. */
  readonly direction: 'outbound';
  /** Normalized domain (lowercase A-label). */
  readonly domain: string;
  /** `domain`: that domain itself; `subdomains`: any subdomain of it (Postfix's `.domain` key). */
  readonly scope: 'domain' | 'subdomains';
  /** The level to enforce: the rule's or the outbound default's, or `may` when a whitelist entry lowered it. */
  readonly level: TlsLevel;
  /** Minimum TLS version when TLS is used (the rule's, else the outbound default's); kept when whitelisted. */
  readonly minVersion: TlsVersion;
  /** Pinned fingerprints (`AB:CD:…`) when `level` is `fingerprint`. */
  readonly fingerprints: readonly string[];
  /** What decided: the outbound default, a domain or subdomain rule, or a whitelist entry that lowered it. */
  readonly source: DecisionSource;
  /** The domain or subdomain rule that set the requirement, if any. */
  readonly rule: PolicyRule | undefined;
  /** The domain or subdomain whitelist entry that lowered the requirement to `may`. */
  readonly entry: WhitelistEntry | undefined;
  /** The level the policy required before a whitelist entry lowered it (equal to `level` otherwise). */
  readonly requiredLevel: TlsLevel;
  /** Whether a whitelist entry could lower (or has lowered) the requirement. */
  readonly whitelistable: boolean;
  /** True when plaintext is not allowed (`level !== 'may'`). */
  readonly tlsRequired: boolean;
  /** A sentence a person can read: domain, level, minimum version, the rule or entry that decided. */
  explain(): string;
}
