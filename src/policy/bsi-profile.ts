import { BSI_PROFILE } from './bsi-tables.js';

/** What the profile judges: protocol, suite, key-exchange group, handshake signature, peer key. */
export type BsiAspect = 'protocol' | 'cipher' | 'group' | 'signature_algorithm' | 'peer_key';

/** The TLS parameters of one session, as far as the profile judges them. Unknown stays absent. */
export interface BsiFacts {
  /** Negotiated protocol (`TLSv1.3`, `TLSv1.2`, …); null or absent when unknown or plaintext. */
  readonly protocol?: string | null | undefined;
  /** IANA name of the negotiated suite (`getCipher().standardName`), e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`. */
  readonly cipher?: string | undefined;
  /** IANA name of the key-exchange group (`secp256r1`, `x25519`, `ffdhe3072`), when known. */
  readonly group?: string | undefined;
  /** Kind of the ephemeral key (`getEphemeralKeyInfo().type`). */
  readonly groupType?: 'ECDH' | 'DH' | undefined;
  /** Size of the ephemeral key in bits (`getEphemeralKeyInfo().size`). */
  readonly groupBits?: number | undefined;
  /** IANA name of the handshake signature scheme (`rsa_pss_rsae_sha256`); Node does not report it. */
  readonly signatureAlgorithm?: string | undefined;
  /** The server's end-entity key type (`KeyObject.asymmetricKeyType`): `rsa`, `rsa-pss`, `ec`, `dsa`, `ed25519`, … */
  readonly peerKeyType?: string | undefined;
  /** Its size in bits (RSA/DSA modulus, EC field size). */
  readonly peerKeyBits?: number | undefined;
  /** Its curve for `ec`, IANA-style (`secp256r1`, `brainpoolP256r1`). */
  readonly peerKeyCurve?: string | undefined;
}

/** One way a session is outside the profile. */
export interface BsiShortfall {
  /** The aspect that is outside the profile. */
  readonly aspect: BsiAspect;
  /** What the session had, e.g. `TLS_RSA_WITH_AES_128_CBC_SHA` or `rsa 1024 bits`. */
  readonly value: string;
  /** What the profile asks, with the table it comes from. */
  readonly text: string;
}

/** The judgement of a session against the profile. */
export interface BsiVerdict {
  /**
   * True only when protocol, suite, group (for an ephemeral key exchange) and peer key were all
   * stated and within the profile, and a stated signature scheme is too.
   */
  readonly within: boolean;
  /** Every stated value outside the profile, one entry each; empty when none is. */
  readonly shortfalls: readonly BsiShortfall[];
  /**
   * Aspects the facts did not state. Any of them but `signature_algorithm` makes `within` false.
   * Node does not expose the handshake signature scheme; the profile's client options
   * (`sigalgs`) are what restricts it.
   */
  readonly unchecked: readonly BsiAspect[];
}

const SUITES_12 = new Set(BSI_PROFILE.tls12Suites);
const SUITES_13 = new Set(BSI_PROFILE.tls13Suites);
const GROUPS_12 = new Set(BSI_PROFILE.tls12Groups);
const GROUPS_13 = new Set(BSI_PROFILE.tls13Groups);
const SIGS_13 = new Set(BSI_PROFILE.signatureSchemes);
const SIGS_12 = new Set([
  ...BSI_PROFILE.signatureSchemes.filter((s) => !s.includes('brainpool')),
  ...BSI_PROFILE.tls12DsaSchemes,
]);
const CURVES = new Set(BSI_PROFILE.curves);
// With the protocol unknown, a value is judged against both versions' lists (and `within` is false).
const SUITES_ANY = new Set([...SUITES_12, ...SUITES_13]);
const GROUPS_ANY = new Set([...GROUPS_12, ...GROUPS_13]);
const FORWARD_SECRET = /^TLS_(?:EC)?DHE_/;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const bits = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;

/**
 * Judges a session's parameters against the BSI TR-02102-2 profile ({@link BSI_PROFILE}).
 * Pure; never throws. An aspect that is not stated is never counted as within the profile.
 *
 * @example
 * ```ts
 * judgeBsiProfile({ protocol: 'TLSv1.2', cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA' }).shortfalls[0];
 * // { aspect: 'cipher', value: 'TLS_RSA_WITH_AES_128_CBC_SHA', text: 'not a TLS 1.2 suite of TR-02102-2 Table 1' }
 * ```
 */
export function judgeBsiProfile(facts: BsiFacts): BsiVerdict {
  const f: BsiFacts = typeof facts === 'object' && facts !== null ? facts : {};
  const shortfalls: BsiShortfall[] = [];
  const unchecked: BsiAspect[] = [];
  const short = (aspect: BsiAspect, value: string, why: string) =>
    shortfalls.push({ aspect, value, text: why });
  const protocol = text(f.protocol);
  const tls13 = protocol === 'TLSv1.3';
  if (protocol === undefined) unchecked.push('protocol');
  else if (!tls13 && protocol !== 'TLSv1.2') short('protocol', protocol, 'not TLS 1.2 or 1.3 (§3.2)');

  const cipher = text(f.cipher);
  if (cipher === undefined) unchecked.push('cipher');
  else if (!(protocol === undefined ? SUITES_ANY : tls13 ? SUITES_13 : SUITES_12).has(cipher))
    short('cipher', cipher, tls13 ? 'not a TLS 1.3 suite of Table 12' : 'not a TLS 1.2 suite of Table 1');

  // A group exists only with an ephemeral key exchange: always in TLS 1.3, (EC)DHE suites in 1.2.
  const groups = protocol === undefined ? GROUPS_ANY : tls13 ? GROUPS_13 : GROUPS_12;
  if (tls13 || cipher === undefined || FORWARD_SECRET.test(cipher)) judgeGroup(f, groups, short, unchecked);

  const signature = text(f.signatureAlgorithm);
  if (signature === undefined) unchecked.push('signature_algorithm');
  else if (!(protocol === undefined || tls13 ? SIGS_13 : SIGS_12).has(signature))
    short('signature_algorithm', signature, 'not a signature scheme of Table 10 (or Table 6)');

  judgeKey(f, short, unchecked);
  const within = shortfalls.length === 0 && unchecked.every((a) => a === 'signature_algorithm');
  return { within, shortfalls, unchecked };
}

type Short = (aspect: BsiAspect, value: string, why: string) => void;

function judgeGroup(f: BsiFacts, groups: ReadonlySet<string>, short: Short, unchecked: BsiAspect[]): void {
  const group = text(f.group);
  const size = bits(f.groupBits);
  if (group !== undefined) {
    if (!groups.has(group)) short('group', group, 'not a group of Table 5 (TLS 1.2) or Table 9 (TLS 1.3)');
  } else if (f.groupType === 'DH' && size !== undefined) {
    // Node names no finite-field group; its size is judged as a DH key (Table 13).
    if (size < BSI_PROFILE.minKeyBits.dh) short('group', `DH ${size} bits`, 'DH below 3000 bits (Table 13)');
  } else {
    unchecked.push('group');
  }
}

function judgeKey(f: BsiFacts, short: Short, unchecked: BsiAspect[]): void {
  const type = text(f.peerKeyType);
  const size = bits(f.peerKeyBits);
  if (type === undefined) {
    unchecked.push('peer_key');
    return;
  }
  const shown = size === undefined ? type : `${type} ${size} bits`;
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') {
    const min = type === 'dsa' ? BSI_PROFILE.minKeyBits.dsa : BSI_PROFILE.minKeyBits.rsa;
    if (size === undefined) unchecked.push('peer_key');
    else if (size < min) short('peer_key', shown, `${type.toUpperCase()} below ${min} bits (Table 13)`);
    return;
  }
  if (type === 'ec') {
    const curve = text(f.peerKeyCurve);
    if (size !== undefined && size < BSI_PROFILE.minKeyBits.ecc)
      short('peer_key', shown, 'ECC below 250 bits (Table 13)');
    else if (curve !== undefined && !CURVES.has(curve))
      short('peer_key', `ec ${curve}`, 'not a curve of §3.6.2');
    else if (curve === undefined) unchecked.push('peer_key');
    return;
  }
  short('peer_key', type, 'not an RSA, DSA or ECDSA key (the profile lists no other)');
}
