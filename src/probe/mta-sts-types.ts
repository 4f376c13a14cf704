import type { MtaStsFailure, MtaStsMode, MtaStsSource, MtaStsTxtLookup } from '../mta-sts/index.js';
import type { MtaStsOff } from './mta-sts-option.js';

/**
 * The domain's MTA-STS policy as the probe's resolver applied it after a fresh TXT lookup (`recheck`):
 * - `resolved`: the resolver answered; `source` says where the policy came from (`none`: no policy);
 * - `off`: not looked up (`off` says why);
 * - `error`: the resolver failed (its cache store, `ESTORE`): whether an `enforce` policy applies is
 *   not known.
 */
export interface ProbeMtaSts {
  /** Whether the resolver answered (`resolved`), was not asked (`off`), or failed (`error`). */
  readonly status: 'resolved' | 'off' | 'error';
  /** For `off`: why no policy was looked up (`disabled`, `no_txt_lookup`). */
  readonly off?: MtaStsOff;
  /** `fetched`, `renewed`, `cached` or `none` (see docs/mta-sts.md). */
  readonly source?: MtaStsSource;
  /** The mode applied: the policy's, `none` without one. */
  readonly mode?: MtaStsMode;
  /** The TXT id of the applied policy. */
  readonly id?: string;
  /** The policy's `max_age` in seconds. */
  readonly maxAge?: number;
  /** The policy's MX patterns. */
  readonly mx?: readonly string[];
  /** When the applied policy was fetched over HTTPS (ISO 8601). */
  readonly fetchedAt?: string;
  /** When the applied policy stops being applied unless renewed: its id's last confirmation plus `max_age` (ISO 8601). */
  readonly expiresAt?: string;
  /** Whole seconds since `fetchedAt`. */
  readonly ageSeconds?: number;
  /** The TXT lookup the probe made: the live record and id. */
  readonly txt?: MtaStsTxtLookup;
  /** Why no live policy was obtained, with its TLS-RPT `resultType`; with `source` `cached` the cache applied instead. */
  readonly failure?: MtaStsFailure;
  /** The id of the valid cached policy before this probe's TXT lookup, if there was one. */
  readonly previousId?: string;
  /** The policy applied now has another id than the cached one (or appeared, or is gone). */
  readonly changed?: boolean;
  /** The MX hosts that match a pattern, and those that match none (only with a policy in mode `enforce` or `testing`). */
  readonly matching: readonly string[];
  /** The MX hosts that match no pattern of a policy in mode `enforce` or `testing`; empty otherwise. */
  readonly notMatching: readonly string[];
  /** For `error`: the code (`ESTORE`) and message. */
  readonly error?: {
    /** The error's `code` (`ESTORE` when the cache store failed), or `EUNKNOWN` when it carries none. */
    readonly code: string;
    /** The error's message. */
    readonly message: string;
  };
}

/**
 * What the policy requires of one MX host and what the probe found, the first failure first:
 * `ok`, `mx_mismatch` (no pattern matches the host), `not_reached` (nothing is known about its TLS),
 * `tls_missing`, `tls_version_too_old` (below TLS 1.2), `certificate_invalid` (chain not valid,
 * expired, or no DNS subjectAltName for the MX name).
 */
export type HostMtaStsVerdict =
  | 'ok'
  | 'mx_mismatch'
  | 'not_reached'
  | 'tls_missing'
  | 'tls_version_too_old'
  | 'certificate_invalid';

/** One MX host under a policy in mode `enforce` or `testing`. */
export interface HostMtaSts {
  /** The mode of the domain's policy (a policy in mode `none` gives no `HostMtaSts`). */
  readonly mode: 'enforce' | 'testing';
  /** The first pattern the host matches. */
  readonly pattern?: string;
  /** True when the host matches one of the policy's `mx` patterns (`pattern` is then set). */
  readonly mxMatched: boolean;
  /** The first requirement of the policy the host fails, or `ok`. */
  readonly verdict: HostMtaStsVerdict;
  /**
   * True under `enforce` for a verdict other than `ok` and `not_reached`: a sender must not deliver
   * to this host (`EMTASTS`). Under `testing` always false: the verdict is what `enforce` would
   * refuse, reported only.
   */
  readonly refuses: boolean;
}
