import type { RecipientCode } from '../../errors/codes.js';
import type { TlsRequirement } from '../../policy/index.js';

/** The answer of a {@link RecipientTlsCheck}. */
export interface RecipientCheckResult {
  /** True when the domain's MX hosts meet the requirement. */
  readonly ok: boolean;
  /** Why not, as a recipient code (e.g. `ENOSTARTTLS`, `ECERTNAME`). */
  readonly code?: RecipientCode;
  /** The MX host the verdict is about. */
  readonly mx?: string;
  /** A one-line explanation, for the report. */
  readonly message?: string;
}

/**
 * Relay mode `check-mx`: checks, before sending, that a recipient domain's MX hosts offer the TLS the
 * policy requires. `forced-tls/probe` provides one with a cache; tests may pass their own function.
 * It is consulted, never trusted blindly: a rejection or a throw refuses the recipient.
 */
export type RecipientTlsCheck = (
  domain: string,
  requirement: TlsRequirement,
) => Promise<RecipientCheckResult>;
