import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { SessionFacts } from '../policy/index.js';

/** What {@link readSessionFacts} checks the certificate against. */
export interface ReadSessionFactsOptions {
  /** The MX (or relay) host name the certificate must name. */
  readonly name: string;
  /** Pinned SHA-256 fingerprints (`AB:CD:…`, as `normalizeFingerprint` gives them); absent: `fingerprintPinned` stays unknown. */
  readonly fingerprints?: readonly string[];
}

// OpenSSL's short names → the IANA names the profile uses.
const GROUP_NAMES: Readonly<Record<string, string>> = {
  prime256v1: 'secp256r1',
  X25519: 'x25519',
  X448: 'x448',
};
const CURVE_BITS: Readonly<Record<string, number>> = {
  secp256r1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
  secp256k1: 256,
  secp224r1: 224,
  prime192v1: 192,
};

// In TLS 1.3 brainpool curves travel only as the `…tls13` codepoints (RFC 8734); OpenSSL names the curve.
function groupName(name: unknown, protocol: string | undefined): string | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  const iana = GROUP_NAMES[name] ?? name;
  return protocol === 'TLSv1.3' && /^brainpoolP\d+r1$/.test(iana) ? `${iana}tls13` : iana;
}

/**
 * The key facts of a certificate for the profile: type (`asymmetricKeyType`), bits (RSA/DSA modulus,
 * EC field size) and curve (IANA-style).
 *
 * @example
 * ```ts
 * certificateKeyFacts(new X509Certificate(pem)); // { peerKeyType: 'rsa', peerKeyBits: 3072, peerKeyCurve: undefined }
 * ```
 */
export function certificateKeyFacts(
  certificate: X509Certificate,
): Pick<SessionFacts, 'peerKeyType' | 'peerKeyBits' | 'peerKeyCurve'> {
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const named = details.namedCurve;
  const curve = named === undefined ? undefined : (GROUP_NAMES[named] ?? named);
  const bits = details.modulusLength ?? (curve === undefined ? undefined : CURVE_BITS[curve]);
  return { peerKeyType: key.asymmetricKeyType, peerKeyBits: bits, peerKeyCurve: curve };
}

function peerKey(
  raw: Buffer | undefined,
): Pick<SessionFacts, 'peerKeyType' | 'peerKeyBits' | 'peerKeyCurve'> {
  if (raw === undefined || raw.length === 0) return {};
  try {
    return certificateKeyFacts(new X509Certificate(raw));
  } catch {
    return {};
  }
}

/** True when a DNS subjectAltName names `name`: no common-name fallback, no partial wildcards. */
function dnsSanNames(raw: Buffer | undefined, name: string): boolean {
  if (raw === undefined || raw.length === 0) return false;
  try {
    return (
      new X509Certificate(raw).checkHost(name, { subject: 'never', partialWildcards: false }) !== undefined
    );
  } catch {
    return false;
  }
}

/**
 * Reads the TLS facts of a connected socket for `assessTier`: protocol, the suite's IANA name
 * (`getCipher().standardName`), the ephemeral key (`getEphemeralKeyInfo()`, client side), the peer's
 * key (type, bits, curve), whether the chain is valid, whether the certificate names `name` (Node's
 * `checkServerIdentity`, which accepts a CN-only certificate), whether a DNS subjectAltName does, and
 * whether the fingerprint is pinned. MTA-STS and DANE facts come from their lookups, not the socket.
 * A socket that is not TLS gives `{ protocol: null }`.
 *
 * The key is read from `getPeerCertificate().raw`: on Node 20, calling `getPeerX509Certificate()`
 * makes later `getPeerCertificate()` calls on the socket return an empty object.
 *
 * @example
 * ```ts
 * const tier = assessTier({ ...readSessionFacts(socket, { name: 'mx.mandant.de' }), mtaStsMode: 'enforce', mtaStsMxMatched: true });
 * ```
 */
export function readSessionFacts(socket: unknown, options: ReadSessionFactsOptions): SessionFacts {
  const tls = socket as Partial<TLSSocket> | null | undefined;
  if (!tls || typeof tls.getProtocol !== 'function' || tls.encrypted !== true) return { protocol: null };
  const protocol = tls.getProtocol() ?? undefined;
  if (protocol === undefined) return { protocol: null };
  const ephemeral = (tls.getEphemeralKeyInfo?.() ?? {}) as { type?: string; name?: string; size?: number };
  const cert = tls.getPeerCertificate?.(false) as PeerCertificate | undefined;
  const present = cert !== undefined && Object.keys(cert).length > 0;
  const raw = present ? cert.raw : undefined;
  // `authorized` also covers the name Node checked; an error that is only about the name leaves the chain valid.
  const chainValid =
    tls.authorized === true || String(tls.authorizationError) === 'ERR_TLS_CERT_ALTNAME_INVALID';
  const nameValid = present && checkServerIdentity(options.name, cert) === undefined;
  const fingerprint = present ? cert.fingerprint256?.toUpperCase() : undefined;
  return {
    protocol,
    cipher: tls.getCipher?.()?.standardName,
    group: groupName(ephemeral.name, protocol),
    groupType: ephemeral.type === 'ECDH' || ephemeral.type === 'DH' ? ephemeral.type : undefined,
    groupBits: typeof ephemeral.size === 'number' ? ephemeral.size : undefined,
    ...peerKey(raw),
    chainValid: present && chainValid,
    nameValid,
    dnsSanMatch: dnsSanNames(raw, options.name),
    ...(options.fingerprints === undefined
      ? {}
      : { fingerprintPinned: fingerprint !== undefined && options.fingerprints.includes(fingerprint) }),
  };
}
