import type { ParsedPostfixVersion } from './postfix-version.js';

/** The security levels of a Postfix TLS policy table entry (`src/tls/tls_level.c`). */
export type PostfixTlsLevel =
  | 'none'
  | 'may'
  | 'encrypt'
  | 'dane'
  | 'dane-only'
  | 'fingerprint'
  | 'verify'
  | 'secure';

/** What Postfix accepts for one policy attribute. */
export interface AttributeRule {
  /** Levels at which Postfix accepts it; elsewhere the whole policy is invalid. */
  readonly levels: readonly PostfixTlsLevel[];
  /** The first Postfix release that knows it; older releases reject the policy. */
  readonly since: ParsedPostfixVersion;
  /** May appear more than once. */
  readonly repeatable: boolean;
}

const TLS_LEVELS: readonly PostfixTlsLevel[] = [
  'may',
  'encrypt',
  'dane',
  'dane-only',
  'fingerprint',
  'verify',
  'secure',
];
const V2_11 = { major: 2, minor: 11 };
const V3_4 = { major: 3, minor: 4 };
const V3_10 = { major: 3, minor: 10 };
const TLSRPT: AttributeRule = { levels: TLS_LEVELS, since: V3_10, repeatable: false };

/**
 * Policy attributes by name, after `tls_policy_lookup_one()` in `src/smtp/smtp_tls_policy.c` and
 * the TLSRPT additions of 3.10 (`policy_type` …, refused by 3.7 as "invalid attribute name"; see
 * postfix-tlspol#6). Any malformed attribute, one at the wrong level, an unknown one (in 3.7 the
 * TLSRPT attributes are unknown) or a second copy of a single-use one makes the policy invalid,
 * and Postfix defers the delivery. The reply builder refuses to write such a policy.
 */
export const POLICY_ATTRIBUTES: Readonly<Record<string, AttributeRule>> = {
  ciphers: { levels: TLS_LEVELS, since: V2_11, repeatable: false },
  exclude: { levels: TLS_LEVELS, since: V2_11, repeatable: false },
  protocols: { levels: TLS_LEVELS, since: V2_11, repeatable: false },
  servername: { levels: TLS_LEVELS, since: V3_4, repeatable: false },
  match: { levels: ['fingerprint', 'verify', 'secure'], since: V2_11, repeatable: true },
  tafile: { levels: ['verify', 'secure'], since: V2_11, repeatable: true },
  connection_reuse: { levels: TLS_LEVELS, since: V3_4, repeatable: true },
  enable_rpk: { levels: TLS_LEVELS, since: { major: 3, minor: 9 }, repeatable: false },
  policy_type: TLSRPT,
  policy_domain: TLSRPT,
  policy_ttl: TLSRPT,
  policy_string: { ...TLSRPT, repeatable: true },
  mx_host_pattern: { ...TLSRPT, repeatable: true },
  policy_failure: TLSRPT,
};
