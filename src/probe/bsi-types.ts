import type { BsiVerdict } from '../policy/index.js';

/**
 * A host's session against the BSI TR-02102-2 profile: the verdict (`within`, `shortfalls`,
 * `unchecked`, as `judgeBsiProfile` gives it) and the values it judged.
 */
export interface HostBsi extends BsiVerdict {
  /**
   * Which offer the judged session came from: `profile` (only the profile was offered, as a sender
   * that applies the profile does), `default` (Node's defaults: the profile-only handshake failed, or
   * `bsiProfile: false`), `none` (no TLS session).
   */
  readonly handshake: 'profile' | 'default' | 'none';
  /**
   * The error of the profile-only handshake when the server refused it during negotiation, so that
   * `handshake` is `default` or `none`; absent when the profile offer was not refused or not made.
   */
  readonly profileError?: {
    /** Node's OpenSSL error code, e.g. `ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE`. */
    readonly code: string;
    /** Node's error message, trimmed. */
    readonly message: string;
  };
  /** Negotiated protocol, e.g. `TLSv1.2`. */
  readonly protocol?: string;
  /** IANA name of the suite, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`. */
  readonly cipher?: string;
  /** IANA name of the key-exchange group (`secp256r1`, `x25519`); Node names no finite-field group. */
  readonly group?: string;
  /** Kind of the ephemeral key: `ECDH` or `DH`. */
  readonly groupType?: 'ECDH' | 'DH';
  /** Size of the ephemeral key in bits (`getEphemeralKeyInfo().size`). */
  readonly groupBits?: number;
  /** Type of the server's end-entity key (`rsa`, `rsa-pss`, `ec`, `ed25519`, …). */
  readonly keyType?: string;
  /** Size of the server key in bits (RSA/DSA modulus, EC field size); absent when not known (e.g. `ed25519`). */
  readonly keyBits?: number;
  /** Curve of an `ec` server key, IANA-style (`secp256r1`, `brainpoolP256r1`); absent for other key types. */
  readonly keyCurve?: string;
}
