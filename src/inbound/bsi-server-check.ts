import { X509Certificate } from 'node:crypto';
import { OPENSSL_GROUP_NAMES, OPENSSL_SUITE_NAMES } from '../internal/bsi-tls.js';
import { certificateKeyFacts } from '../internal/session-facts.js';
import { BSI_PROFILE, judgeBsiProfile } from '../policy/index.js';

/** A way the server's settings leave the BSI TR-02102-2 profile (see `ServerOptionsWarning`). */
export interface BsiServerWarning {
  readonly code:
    | 'bsi_ciphers_outside_profile'
    | 'bsi_groups_outside_profile'
    | 'bsi_sigalgs_outside_profile'
    | 'bsi_key_outside_profile'
    | 'bsi_key_unchecked';
  readonly message: string;
}

/** The settings the profile check reads. */
export interface BsiCheckableOptions {
  readonly cert?: unknown;
  readonly ciphers?: string | undefined;
  readonly ecdhCurve?: string | undefined;
  readonly sigalgs?: string | undefined;
  readonly maxVersion?: string | undefined;
}

const SUITES = new Set([...Object.values(OPENSSL_SUITE_NAMES), ...BSI_PROFILE.tls13Suites]);
const GROUPS = new Set([
  ...Object.values(OPENSSL_GROUP_NAMES),
  ...Object.keys(OPENSSL_GROUP_NAMES),
  'prime256v1',
]);
const SIGALGS = new Set([
  ...BSI_PROFILE.signatureSchemes,
  ...['SHA256', 'SHA384', 'SHA512'].flatMap((h) => [`ECDSA+${h}`, `RSA-PSS+${h}`, `DSA+${h}`]),
]);
const HINT = 'list only the profile (bsiTlsOptions() gives the values)';

// Each token must name a profile entry exactly: a keyword (HIGH, DEFAULT, ECDHE+AESGCM) expands to
// suites OpenSSL chooses, which this check cannot see. Exclusions only remove.
function outside(list: string, allowed: ReadonlySet<string>): string[] {
  return list
    .split(/[:,\s]+/)
    .filter(
      (t) => t !== '' && !t.startsWith('!') && !t.startsWith('-') && t !== '@STRENGTH' && !allowed.has(t),
    );
}

/** The first certificate of `cert` (PEM string or Buffer, or an array of them), when it parses. */
function firstCertificate(cert: unknown): X509Certificate | undefined {
  const first: unknown = Array.isArray(cert) ? cert[0] : cert;
  if (typeof first !== 'string' && !Buffer.isBuffer(first)) return undefined;
  try {
    return new X509Certificate(first);
  } catch {
    return undefined;
  }
}

/**
 * Checks server TLS settings against the profile: every suite (TLS 1.2 and 1.3), group and signature
 * scheme named explicitly and within it, and the configured certificate's key large enough.
 */
export function bsiServerWarnings(options: BsiCheckableOptions): BsiServerWarning[] {
  const warnings: BsiServerWarning[] = [];
  const add = (code: BsiServerWarning['code'], message: string) => warnings.push({ code, message });
  const ciphers = options.ciphers;
  if (ciphers === undefined)
    add('bsi_ciphers_outside_profile', `ciphers is unset (Node's defaults include CHACHA20); ${HINT}`);
  else {
    const extra = outside(ciphers, SUITES);
    if (extra.length > 0) add('bsi_ciphers_outside_profile', `ciphers has ${extra.join(', ')}; ${HINT}`);
    const tls13Possible = options.maxVersion === undefined || options.maxVersion === 'TLSv1.3';
    if (tls13Possible && !ciphers.split(/[:,\s]+/).some((t) => t.startsWith('TLS_')))
      add(
        'bsi_ciphers_outside_profile',
        `ciphers names no TLS 1.3 suite, so Node's TLS 1.3 defaults (with CHACHA20) stay; ${HINT}`,
      );
  }
  const groups = options.ecdhCurve;
  const extraGroups = groups === undefined || groups === 'auto' ? ['auto'] : outside(groups, GROUPS);
  if (extraGroups.length > 0)
    add(
      'bsi_groups_outside_profile',
      `ecdhCurve allows ${extraGroups.join(', ')} (auto includes X25519); ${HINT}`,
    );
  const sigalgs = options.sigalgs;
  if (sigalgs === undefined)
    add('bsi_sigalgs_outside_profile', `sigalgs is unset (the defaults include RSASSA-PKCS1-v1_5); ${HINT}`);
  else {
    const extra = outside(sigalgs, SIGALGS);
    if (extra.length > 0) add('bsi_sigalgs_outside_profile', `sigalgs has ${extra.join(', ')}; ${HINT}`);
  }
  const certificate = firstCertificate(options.cert);
  if (certificate === undefined) {
    add(
      'bsi_key_unchecked',
      'the certificate key size could not be checked (no PEM cert; pfx and SNI are not read)',
    );
  } else {
    for (const s of judgeBsiProfile(certificateKeyFacts(certificate)).shortfalls)
      if (s.aspect === 'peer_key') add('bsi_key_outside_profile', `certificate key ${s.value}: ${s.text}`);
  }
  return warnings;
}
