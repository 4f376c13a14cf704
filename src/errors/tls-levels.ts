/*
 * The TLS levels and protocol versions are the words every layer shares: the policy decides a level,
 * the transports enforce it, and every refusal names the level it enforced (`RecipientFailure.level`).
 * They live on the ground floor, next to the error codes, so that the refusal record needs nothing
 * from the layers above it; `src/policy` re-exports them as part of its vocabulary.
 */

/**
 * TLS levels, after Postfix's `smtp_tls_security_level`:
 * - `may`: try STARTTLS, plaintext allowed (only for unlisted or whitelisted recipients);
 * - `encrypt`: TLS mandatory, certificate not checked;
 * - `verify`: TLS mandatory, chain valid and the name matches the MX host;
 * - `fingerprint`: TLS mandatory, certificate pinned by SHA-256 fingerprint;
 * - `qualified`: the session must be of the `qualified` tier: TLS 1.2 or 1.3 within the BSI
 *   TR-02102-2 profile and a server authenticated by MTA-STS, DANE or a pinned fingerprint
 *   (DSK "qualifizierte Transportverschlüsselung"); outbound only;
 * - `dane` (Postfix's opportunistic DANE, RFC 7672): with DNSSEC-validated usable TLSA records the
 *   certificate must match them; with only unusable records TLS is mandatory; without TLSA records
 *   (or in an unsigned zone) it is `may`; outbound only;
 * - `dane-only`: usable DNSSEC-validated TLSA records and a matching certificate, else no delivery;
 *   outbound only.
 *
 * Independently of the level, a transport with a DNSSEC resolver applies DANE wherever the recipient
 * publishes usable TLSA records (as RFC 7672 requires of a sender that does DANE).
 */
export type TlsLevel = 'may' | 'encrypt' | 'verify' | 'fingerprint' | 'qualified' | 'dane' | 'dane-only';

/**
 * Every level. The first four increase in strictness; `qualified` is not simply stricter than
 * `fingerprint`: it also accepts MTA-STS or DANE instead of a pin, and adds the BSI profile; `dane`
 * and `dane-only` depend on what the recipient publishes in DNSSEC.
 */
export const TLS_LEVELS: readonly TlsLevel[] = [
  'may',
  'encrypt',
  'verify',
  'fingerprint',
  'qualified',
  'dane',
  'dane-only',
];

/** Minimum TLS protocol versions that can be required. */
export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

/** Minimum versions in increasing strictness. */
export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1.2', 'TLSv1.3'];
