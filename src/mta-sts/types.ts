/**
 * The mode of an MTA-STS policy (RFC 8461 §5): `enforce` (deliver only to matching MX hosts with a
 * valid certificate over TLS), `testing` (deliver anyway, report what enforce would refuse), `none`
 * (treat the domain as having no policy).
 */
export type MtaStsMode = 'enforce' | 'testing' | 'none';

/** Every {@link MtaStsMode}, in order of strictness. */
export const MTA_STS_MODES: readonly MtaStsMode[] = Object.freeze(['enforce', 'testing', 'none']);

/** The largest `max_age` RFC 8461 §3.2 allows: 31557600 seconds (about one year). */
export const MAX_MTA_STS_MAX_AGE = 31_557_600;

/**
 * A parsed, valid MTA-STS policy file (RFC 8461 §3.2). Plain frozen data, JSON-safe.
 *
 * @example
 * ```ts
 * const policy: MtaStsPolicy = {
 *   version: 'STSv1', mode: 'enforce', maxAge: 604800,
 *   mx: ['mx1.mandant.test', '*.mx.mandant.test'],
 *   lines: ['version: STSv1', 'mode: enforce', 'mx: mx1.mandant.test', 'mx: *.mx.mandant.test', 'max_age: 604800'],
 * };
 * ```
 */
export interface MtaStsPolicy {
  /** Always `STSv1`. */
  readonly version: 'STSv1';
  /** What the policy asks of senders: `enforce`, `testing` or `none`. */
  readonly mode: MtaStsMode;
  /** Seconds the policy may be cached after it was fetched, 0–31557600. */
  readonly maxAge: number;
  /**
   * The allowed MX patterns, lowercase, in file order, without duplicates: a host name, or `*.` and a
   * domain (matches exactly one further label; see `mxMatches`). Empty only for mode `none`.
   */
  readonly mx: readonly string[];
  /** The policy's non-empty lines as fetched (without line ends): the TLS-RPT `policy-string`. */
  readonly lines: readonly string[];
}

/**
 * The TLS-RPT (RFC 8460 §4.3) result type a failure to obtain a policy is reported under:
 * `sts-policy-fetch-error` (the policy could not be retrieved), `sts-policy-invalid` (it was
 * retrieved but is not a valid policy), `sts-webpki-invalid` (the policy host's certificate failed
 * PKIX validation).
 */
export type MtaStsResultType = 'sts-policy-fetch-error' | 'sts-policy-invalid' | 'sts-webpki-invalid';

/** Every {@link MtaStsResultType}. */
export const MTA_STS_RESULT_TYPES: readonly MtaStsResultType[] = Object.freeze([
  'sts-policy-fetch-error',
  'sts-policy-invalid',
  'sts-webpki-invalid',
]);
