/**
 * The lists of BSI TR-02102-2 ("Kryptographische Verfahren: Verwendung von Transport Layer
 * Security (TLS)") that the profile applies, by IANA name.
 *
 * Source: BSI's own machine-readable encoding of TR-02102-2 in its TLS test tool TaSK
 * (`BSI-Bund/TaSK`, `task/data/specification/ApplicationSpecifications/TR-02102-2/*.xml`, version
 * 1.0, 2023). Its chapter and table numbers are cited below; its horizons ("2029+") fit the 2023-01
 * edition. The primary PDF could not be read, and newer editions (published yearly) may have moved
 * horizons: see docs/security.md.
 *
 * Rule applied: an entry is in the profile when its horizon is "2029+" (recommended beyond the
 * edition's planning period). Entries the edition allows only for a transition are left out:
 * Table 2 (non-forward-secret `TLS_ECDH_*`/`TLS_DH_*`, until 2026), `ffdhe2048` (until 2022),
 * RSASSA-PKCS1-v1_5 signatures (until 2025), 2000-bit RSA/DSA/DH keys (until 2022/2023). PSK suites
 * (Table 3) are left out as well: mail servers do not share keys with their senders.
 */

/** TLS 1.2 cipher suites: §3.3.1.1, Table 1 (all "2029+"). */
const TLS12_SUITES: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256',
  'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256',
  'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256',
  'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384',
  'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_DHE_RSA_WITH_AES_128_CCM',
  'TLS_DHE_RSA_WITH_AES_256_CCM',
];

/** TLS 1.3 cipher suites: §3.4.4, Table 12. `TLS_CHACHA20_POLY1305_SHA256` is not listed. */
const TLS13_SUITES: readonly string[] = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_AES_128_CCM_SHA256',
];

/** TLS 1.2 groups: §3.3.2, Table 5 (without `ffdhe2048`, until 2022). `x25519` is not listed. */
const TLS12_GROUPS: readonly string[] = [
  'secp256r1',
  'secp384r1',
  'secp521r1',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
  'ffdhe3072',
  'ffdhe4096',
];

/** TLS 1.3 groups: §3.4.2, Table 9 (without `ffdhe2048`). */
const TLS13_GROUPS: readonly string[] = [
  'secp256r1',
  'secp384r1',
  'secp521r1',
  'brainpoolP256r1tls13',
  'brainpoolP384r1tls13',
  'brainpoolP512r1tls13',
  'ffdhe3072',
  'ffdhe4096',
];

/**
 * Handshake signature schemes: §3.4.3, Table 10 (TLS 1.3). TaSK encodes TLS 1.2's Table 6 as
 * (hash, signature) pairs, which cannot name RSASSA-PSS; the profile applies Table 10 to TLS 1.2
 * too (RFC 8446 §4.2.3 defines these schemes for TLS 1.2), plus Table 6's DSA pairs for TLS 1.2.
 */
const SIGNATURE_SCHEMES: readonly string[] = [
  'rsa_pss_rsae_sha256',
  'rsa_pss_rsae_sha384',
  'rsa_pss_rsae_sha512',
  'rsa_pss_pss_sha256',
  'rsa_pss_pss_sha384',
  'rsa_pss_pss_sha512',
  'ecdsa_secp256r1_sha256',
  'ecdsa_secp384r1_sha384',
  'ecdsa_secp521r1_sha512',
  'ecdsa_brainpoolP256r1tls13_sha256',
  'ecdsa_brainpoolP384r1tls13_sha384',
  'ecdsa_brainpoolP512r1tls13_sha512',
];

/** TLS 1.2 only: Table 6's DSA pairs ("2029+"), named after their (hash, signature) codepoints. */
const TLS12_DSA_SCHEMES: readonly string[] = ['dsa_sha256', 'dsa_sha384', 'dsa_sha512'];

/** Curves for ECDSA keys: §3.6.2. */
const CURVES: readonly string[] = [
  'secp256r1',
  'secp384r1',
  'secp521r1',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
];

/**
 * Minimum key lengths in bits: §3.6.1, Table 13. RSA, DSA and DH may be 2000 bits only until
 * 2023 (RSA) or 2022 (DSA, DH); from 2024 on every one of them needs 3000, and that is what the
 * profile applies (no date makes the 2000-bit rule apply again). ECDSA and ECDH: 250.
 */
const MIN_KEY_BITS = { rsa: 3000, dsa: 3000, dh: 3000, ecc: 250 } as const;

/** The BSI TR-02102-2 profile forced-tls applies, as lists of IANA names (see the file's header for the rule). */
export interface BsiProfile {
  /** Which encoding of which edition the lists follow. */
  readonly source: string;
  readonly tls12Suites: readonly string[];
  readonly tls13Suites: readonly string[];
  readonly tls12Groups: readonly string[];
  readonly tls13Groups: readonly string[];
  /** Handshake signature schemes for TLS 1.3 and 1.2. */
  readonly signatureSchemes: readonly string[];
  /** Additional TLS 1.2 signature schemes (DSA with SHA-2). */
  readonly tls12DsaSchemes: readonly string[];
  /** Curves for ECDSA server keys. */
  readonly curves: readonly string[];
  readonly minKeyBits: {
    readonly rsa: number;
    readonly dsa: number;
    readonly dh: number;
    readonly ecc: number;
  };
}

const freeze = <T>(list: readonly T[]): readonly T[] => Object.freeze([...list]);

/**
 * The profile's lists, frozen.
 *
 * @example
 * ```ts
 * BSI_PROFILE.tls13Suites; // ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_AES_128_CCM_SHA256']
 * ```
 */
export const BSI_PROFILE: BsiProfile = Object.freeze({
  source: 'BSI TR-02102-2 as encoded in BSI TaSK 1.0 (2023; horizons of the 2023-01 edition)',
  tls12Suites: freeze(TLS12_SUITES),
  tls13Suites: freeze(TLS13_SUITES),
  tls12Groups: freeze(TLS12_GROUPS),
  tls13Groups: freeze(TLS13_GROUPS),
  signatureSchemes: freeze(SIGNATURE_SCHEMES),
  tls12DsaSchemes: freeze(TLS12_DSA_SCHEMES),
  curves: freeze(CURVES),
  minKeyBits: Object.freeze({ ...MIN_KEY_BITS }),
});
