import type { Direction, MatchScope } from './scope.js';

/**
 * One whitelist entry: a recipient (outbound) or sender (inbound) that may be mailed without TLS.
 * Entries are plain JSON-safe data; times are ISO 8601 strings.
 */
export interface WhitelistEntry {
  /** Stable id, assigned when the entry is added. */
  readonly id: string;
  /** `outbound` (a recipient may be mailed without TLS) or `inbound` (a sender may deliver without TLS). */
  readonly direction: Direction;
  /** `domain` (exactly that domain), `subdomains` (any subdomain, any depth) or `address`. */
  readonly scope: MatchScope;
  /** Normalized value: lowercase A-label domain, or `local@domain` (local part lowercased). */
  readonly value: string;
  /** Why plaintext is acceptable. Required. */
  readonly reason: string;
  /** Who approved it. Required. */
  readonly approvedBy: string;
  /** Reference to the client's written consent (e.g. a document number). */
  readonly consentRef?: string;
  /** When the entry was added (ISO 8601). */
  readonly createdAt: string;
  /** After this instant the entry is ignored. */
  readonly expiresAt?: string;
}
