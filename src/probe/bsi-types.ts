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
  /** The error of the profile-only handshake when the server refused it (`ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE`, …). */
  readonly profileError?: { readonly code: string; readonly message: string };
  /** Negotiated protocol, e.g. `TLSv1.2`. */
  readonly protocol?: string;
  /** IANA name of the suite, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`. */
  readonly cipher?: string;
  /** IANA name of the key-exchange group (`secp256r1`, `x25519`); Node names no finite-field group. */
  readonly group?: string;
  /** `ECDH` or `DH`, and the ephemeral key's size in bits. */
  readonly groupType?: 'ECDH' | 'DH';
  readonly groupBits?: number;
  /** The server key: type (`rsa`, `ec`, …), size in bits, EC curve. */
  readonly keyType?: string;
  readonly keyBits?: number;
  readonly keyCurve?: string;
}
