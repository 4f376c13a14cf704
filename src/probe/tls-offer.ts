import type { ConnectionOptions } from 'node:tls';
import { bsiTlsOptions } from '../internal/bsi-tls.js';
import type { TlsVersion } from '../policy/index.js';

/**
 * What the probe's client offers in a handshake: `profile` only the BSI TR-02102-2 profile
 * (`bsiTlsOptions()`: its suites, groups and signature schemes), as a sender that applies the
 * profile does (level `qualified` needs it); `default` Node's defaults, as the transports offer at
 * `encrypt` or `verify`.
 */
export type TlsOffer = 'profile' | 'default';

/** The `node:tls` options of an offer, never below `minVersion`. */
export function offerOptions(offer: TlsOffer, minVersion: TlsVersion): ConnectionOptions {
  if (offer === 'default') return { minVersion };
  const { ciphers, sigalgs, ecdhCurve } = bsiTlsOptions();
  return { minVersion, ciphers, sigalgs, ecdhCurve };
}

// The server answered the profile-only offer with a negotiation alert (handshake_failure,
// insufficient_security, illegal_parameter, …) or OpenSSL found nothing in common: the server speaks
// TLS, only not within the profile. A reset, garbage or a version alert would fail the same way with
// any offer, so only these are worth a second connection.
const NEGOTIATION_FAILURE = /_ALERT_|NO_SHARED|NO_SUITABLE|NO_CIPHERS|WRONG_CURVE|BAD_ECPOINT/;
const VERSION_ALERT = /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|VERSION_TOO_LOW|NO_PROTOCOLS/;

/**
 * True when a failed profile-only handshake is a refusal of the profile's parameters, so that a
 * handshake with Node's defaults may still succeed.
 *
 * @example
 * ```ts
 * profileRefused('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'); // true
 * profileRefused('ERR_SSL_WRONG_VERSION_NUMBER'); // false: garbage, not a negotiation
 * ```
 */
export function profileRefused(code: string | undefined): boolean {
  if (code === undefined || !code.startsWith('ERR_SSL_')) return false;
  return NEGOTIATION_FAILURE.test(code) && !VERSION_ALERT.test(code);
}
