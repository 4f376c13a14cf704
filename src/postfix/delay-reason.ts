import type { DeliveryPhase, TlsRefusalCode } from '../errors/index.js';

/** What a Postfix delay reason says about TLS. */
export type DelayReasonMeaning =
  /** The recipient's server did not give the TLS the policy requires. */
  | {
      /** `tls_refusal`: a TLS refusal of the recipient's server. */
      readonly kind: 'tls_refusal';
      /** `ENOSTARTTLS`, `ESTARTTLSREFUSED`, `EHANDSHAKE`, `EFINGERPRINT` or `ERECIPIENTTLS`. */
      readonly code: TlsRefusalCode;
      /** `starttls` (not offered or refused), `handshake`, or `certificate` (not verified). */
      readonly phase: DeliveryPhase;
      /** `host[address]` or `host[address]:port` as Postfix wrote it, when it names the server. */
      readonly server?: string;
      /** Server text quoted in the reason; it arrived before TLS. */
      readonly response?: string;
    }
  /** The local side could not apply the TLS policy (the policy service failed, no TLS engine). */
  | {
      /** `local_tls_problem`: a local TLS problem, not the recipient's. */
      readonly kind: 'local_tls_problem';
    }
  /** Not about TLS. */
  | {
      /** `other`: a reason that is not about TLS. */
      readonly kind: 'other';
    };

// The 4.7.x texts of `src/smtp/smtp_proto.c` and `smtp_tls_policy.c` (3.7 and later).
const NOT_OFFERED = /^TLS is required, but was not offered by host (\S+)/;
const REFUSED = /^TLS is required, but host (\S+) refused to start TLS: (.*)$/s;
const HANDSHAKE = /^Cannot start TLS: handshake failure/;
const NOT_VERIFIED = /^Server certificate not verified/;
const LOCAL = /client TLS configuration problem|TLS is required, but our TLS engine is unavailable/;

/**
 * Reads the `delay_reason` of a queued recipient (`postqueue -j`). The refusal codes:
 * - `TLS is required, but was not offered by host …` (4.7.4) → `ENOSTARTTLS`;
 * - `… refused to start TLS: …` → `ESTARTTLSREFUSED` (the quoted reply is untrusted);
 * - `Cannot start TLS: handshake failure` (4.7.5) → `EHANDSHAKE` (also a too old TLS version);
 * - `Server certificate not verified` (4.7.5) → `EFINGERPRINT` for a `fingerprint` requirement,
 *   else `ERECIPIENTTLS`: Postfix does not say whether the chain, the name or the date failed.
 * `client TLS configuration problem` (the policy service answered TEMP or was down) is local.
 *
 * @example
 * ```ts
 * readDelayReason('TLS is required, but was not offered by host mx.example.de[192.0.2.1]', 'encrypt');
 * // { kind: 'tls_refusal', code: 'ENOSTARTTLS', phase: 'starttls', server: 'mx.example.de[192.0.2.1]' }
 * ```
 */
export function readDelayReason(reason: string, level: string): DelayReasonMeaning {
  const text = typeof reason === 'string' ? reason.trim() : '';
  let match = NOT_OFFERED.exec(text);
  if (match !== null)
    return { kind: 'tls_refusal', code: 'ENOSTARTTLS', phase: 'starttls', server: match[1]! };
  match = REFUSED.exec(text);
  if (match !== null) {
    return {
      kind: 'tls_refusal',
      code: 'ESTARTTLSREFUSED',
      phase: 'starttls',
      server: match[1]!,
      response: match[2]!,
    };
  }
  if (HANDSHAKE.test(text)) return { kind: 'tls_refusal', code: 'EHANDSHAKE', phase: 'handshake' };
  if (NOT_VERIFIED.test(text)) {
    const code = level === 'fingerprint' ? 'EFINGERPRINT' : 'ERECIPIENTTLS';
    return { kind: 'tls_refusal', code, phase: 'certificate' };
  }
  if (LOCAL.test(text)) return { kind: 'local_tls_problem' };
  return { kind: 'other' };
}
