import { createSecureContext } from 'node:tls';
import { BSI_PROFILE } from '../policy/index.js';

/** The `node:tls` options that apply the BSI TR-02102-2 profile to a handshake (client or server). */
export interface BsiTlsOptions {
  /** Always `TLSv1.2`: the profile allows TLS 1.2 and 1.3 only. */
  readonly minVersion: 'TLSv1.2';
  /** OpenSSL names of the TLS 1.2 suites and the TLS 1.3 suite names, in one string (Node splits them). */
  readonly ciphers: string;
  /** Handshake signature schemes. */
  readonly sigalgs: string;
  /** Key-exchange groups, the first one also the client's first key share. */
  readonly ecdhCurve: string;
}

/** IANA → OpenSSL names of the profile's TLS 1.2 suites (OpenSSL's `ciphers(1)` table). */
export const OPENSSL_SUITE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM: 'ECDHE-ECDSA-AES128-CCM',
  TLS_ECDHE_ECDSA_WITH_AES_256_CCM: 'ECDHE-ECDSA-AES256-CCM',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384: 'ECDHE-ECDSA-AES256-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: 'ECDHE-RSA-AES256-SHA384',
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: 'DHE-RSA-AES128-GCM-SHA256',
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: 'DHE-RSA-AES256-GCM-SHA384',
  TLS_DHE_RSA_WITH_AES_128_CCM: 'DHE-RSA-AES128-CCM',
  TLS_DHE_RSA_WITH_AES_256_CCM: 'DHE-RSA-AES256-CCM',
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA256: 'DHE-RSA-AES128-SHA256',
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA256: 'DHE-RSA-AES256-SHA256',
  TLS_DHE_DSS_WITH_AES_128_GCM_SHA256: 'DHE-DSS-AES128-GCM-SHA256',
  TLS_DHE_DSS_WITH_AES_256_GCM_SHA384: 'DHE-DSS-AES256-GCM-SHA384',
  TLS_DHE_DSS_WITH_AES_128_CBC_SHA256: 'DHE-DSS-AES128-SHA256',
  TLS_DHE_DSS_WITH_AES_256_CBC_SHA256: 'DHE-DSS-AES256-SHA256',
});

/** IANA → OpenSSL names of the profile's groups; the `brainpool…tls13` ones need OpenSSL 3.2 or later. */
export const OPENSSL_GROUP_NAMES: Readonly<Record<string, string>> = Object.freeze({
  secp256r1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  brainpoolP256r1: 'brainpoolP256r1',
  brainpoolP384r1: 'brainpoolP384r1',
  brainpoolP512r1: 'brainpoolP512r1',
  brainpoolP256r1tls13: 'brainpoolP256r1tls13',
  brainpoolP384r1tls13: 'brainpoolP384r1tls13',
  brainpoolP512r1tls13: 'brainpoolP512r1tls13',
  ffdhe3072: 'ffdhe3072',
  ffdhe4096: 'ffdhe4096',
});

const DSA_SIGALGS: Readonly<Record<string, string>> = {
  dsa_sha256: 'DSA+SHA256',
  dsa_sha384: 'DSA+SHA384',
  dsa_sha512: 'DSA+SHA512',
};

// The OpenSSL Node links may not know every name (OpenSSL 3.0 lacks the brainpool TLS 1.3 groups
// and signature schemes): keep those it accepts, so the options never fail to load.
function accepted(names: readonly string[], key: 'ecdhCurve' | 'sigalgs'): string[] {
  return names.filter((name) => {
    try {
      createSecureContext({ [key]: name });
      return true;
    } catch {
      return false;
    }
  });
}

let cached: BsiTlsOptions | undefined;

/**
 * The options that make Node negotiate only within the BSI TR-02102-2 profile, where Node can
 * enforce it: protocol (`minVersion`), suites of both versions (`ciphers`), signature schemes
 * (`sigalgs`) and groups (`ecdhCurve`). A server that offers nothing else (a CHACHA20-only TLS 1.3
 * server, an `AES128-SHA`-only one) fails the handshake. Key sizes, the finite-field DH group a
 * TLS 1.2 server picks and the certificate are not negotiable: judge those on the result
 * (`readSessionFacts`, `assessTier`). The same options configure a server (`tls.createServer`, smtp-server).
 *
 * @example
 * ```ts
 * tls.connect({ host, port, servername, ...bsiTlsOptions() });
 * ```
 */
export function bsiTlsOptions(): BsiTlsOptions {
  if (cached !== undefined) return cached;
  const tls13 = BSI_PROFILE.tls13Suites;
  // In the order of the table above: AEAD suites first, as a client states its preference.
  const tls12 = Object.entries(OPENSSL_SUITE_NAMES)
    .filter(([iana]) => BSI_PROFILE.tls12Suites.includes(iana))
    .map(([, name]) => name);
  const groups = [...new Set([...BSI_PROFILE.tls12Groups, ...BSI_PROFILE.tls13Groups])].map(
    (g) => OPENSSL_GROUP_NAMES[g] ?? g,
  );
  const sigalgs = [
    ...BSI_PROFILE.signatureSchemes,
    ...BSI_PROFILE.tls12DsaSchemes.map((s) => DSA_SIGALGS[s] ?? s),
  ];
  cached = Object.freeze({
    minVersion: 'TLSv1.2',
    ciphers: [...tls13, ...tls12].join(':'),
    sigalgs: accepted(sigalgs, 'sigalgs').join(':'),
    ecdhCurve: accepted(groups, 'ecdhCurve').join(':'),
  });
  return cached;
}
