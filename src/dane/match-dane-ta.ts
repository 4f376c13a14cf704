import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { DaneMatchFailure } from './match-types.js';
import { tlsaAssociationData } from './tlsa-data.js';
import { TLSA_MATCHING_TYPE, TLSA_SELECTOR } from './tlsa-usability.js';
import type { TlsaRecord } from './types.js';

/** One DANE-TA record checked against a chain: the anchor's depth and how far the checks got. */
export type TrustAnchorCheck =
  | { readonly ok: true; readonly depth: number; readonly name: string }
  | { readonly ok: false; readonly reason: DaneMatchFailure };

/** A trust anchor: a certificate (in the chain or in the record) or a bare public key (`2 1 0`). */
type Anchor = { readonly cert: X509Certificate } | { readonly key: KeyObject };

const HOST_CHECK = {
  subject: 'default',
  wildcards: true,
  partialWildcards: false,
  multiLabelWildcards: false,
  singleLabelSubdomains: false,
} as const;

function issuedBy(child: X509Certificate, issuer: Anchor): boolean {
  try {
    if ('key' in issuer) return child.verify(issuer.key);
    return issuer.cert.ca && child.checkIssued(issuer.cert) && child.verify(issuer.cert.publicKey);
  } catch {
    return false;
  }
}

function validAt(cert: X509Certificate, now: Date): boolean {
  const t = now.getTime();
  return Date.parse(cert.validFrom) <= t && t <= Date.parse(cert.validTo);
}

// The anchor a record names, looked for in the chain above the leaf first (RFC 7672 §3.1.2: the
// server sends it), then, for full-data records, in the record itself.
function findAnchor(chain: readonly X509Certificate[], record: TlsaRecord): [number, Anchor] | undefined {
  const data = Buffer.from(record.data);
  for (let depth = 1; depth < chain.length; depth++) {
    const cert = chain[depth]!;
    if (tlsaAssociationData(cert, record.selector, record.matchingType).equals(data))
      return [depth, { cert }];
  }
  if (record.matchingType !== TLSA_MATCHING_TYPE.FULL) return undefined;
  try {
    if (record.selector === TLSA_SELECTOR.CERT) return [chain.length, { cert: new X509Certificate(data) }];
    return [chain.length, { key: createPublicKey({ key: data, format: 'der', type: 'spki' }) }];
  } catch {
    return undefined;
  }
}

/**
 * The chain index of the certificate the anchor vouches for directly: the anchor's own depth when it
 * is in the chain, else the first certificate the anchor issued. Every link below it must verify.
 */
function pathTop(chain: readonly X509Certificate[], anchorDepth: number, anchor: Anchor): number | undefined {
  if (anchorDepth < chain.length) {
    for (let i = 0; i < anchorDepth; i++) {
      if (!issuedBy(chain[i]!, { cert: chain[i + 1]! })) return undefined;
    }
    return anchorDepth;
  }
  for (let i = 0; i < chain.length; i++) {
    if (issuedBy(chain[i]!, anchor)) return i;
    const next = chain[i + 1];
    if (next === undefined || !issuedBy(chain[i]!, { cert: next })) return undefined;
  }
  return undefined;
}

/**
 * Checks one usable DANE-TA record against a chain (leaf first): the record matches a certificate
 * of the chain above the leaf (or is a full `2 0 0` / `2 1 0` anchor), every certificate from the leaf
 * up to the anchor is issued and signed by the next (issuers must be CAs), all of them are valid at
 * `now`, and the leaf carries one of `names`.
 */
export function checkTrustAnchor(
  chain: readonly X509Certificate[],
  record: TlsaRecord,
  names: readonly string[],
  now: Date,
): TrustAnchorCheck {
  const found = findAnchor(chain, record);
  if (found === undefined) return { ok: false, reason: 'no_match' };
  const [depth, anchor] = found;
  const top = pathTop(chain, depth, anchor);
  if (top === undefined) return { ok: false, reason: 'chain_invalid' };
  const path = chain.slice(0, top + 1);
  if ('cert' in anchor && depth === chain.length) path.push(anchor.cert);
  if (!path.every((cert) => validAt(cert, now))) return { ok: false, reason: 'expired' };
  const leaf = chain[0]!;
  const name = names.find((n) => leaf.checkHost(n, HOST_CHECK) !== undefined);
  if (name === undefined) return { ok: false, reason: 'name_mismatch' };
  return { ok: true, depth, name };
}
