import type { X509Certificate } from 'node:crypto';
import { chainArgument, matchOptionsArgument, tlsaRecordsArgument } from './check-arguments.js';
import { checkTrustAnchor } from './match-dane-ta.js';
import type { DaneMatch, DaneMatchFailure, DaneMatchOptions, DaneMismatch } from './match-types.js';
import { tlsaAssociationData } from './tlsa-data.js';
import { isUsableTlsa, TLSA_USAGE } from './tlsa-usability.js';
import type { DaneTlsRptResult, TlsaRecord } from './types.js';

// When no record authenticates the chain, the failure that got furthest is reported.
const PROGRESS: readonly DaneMatchFailure[] = ['no_match', 'chain_invalid', 'expired', 'name_mismatch'];

const TLS_RPT: Readonly<Record<DaneMatchFailure, DaneTlsRptResult>> = {
  no_usable_records: 'tlsa-invalid',
  empty_chain: 'tlsa-invalid',
  no_match: 'tlsa-invalid',
  chain_invalid: 'tlsa-invalid',
  expired: 'certificate-expired',
  name_mismatch: 'certificate-host-mismatch',
};

const MESSAGES: Readonly<Record<DaneMatchFailure, string>> = {
  no_usable_records: 'no usable TLSA record (DANE-TA or DANE-EE with known parameters)',
  empty_chain: 'the server presented no certificate',
  no_match: 'no TLSA record matches the presented certificate chain',
  chain_invalid: 'a DANE-TA trust anchor matched, but the chain from the leaf does not verify up to it',
  expired: 'a certificate of the DANE-TA chain is expired or not yet valid',
  name_mismatch: 'the certificate names neither the recipient domain nor the MX host (DANE-TA)',
};

function mismatch(reason: DaneMatchFailure, record?: TlsaRecord): DaneMismatch {
  return {
    matched: false,
    reason,
    code: 'EDANEMISMATCH',
    tlsRpt: TLS_RPT[reason],
    ...(record === undefined ? {} : { record }),
    message: `DANE: ${MESSAGES[reason]}`,
  };
}

/**
 * Authenticates a presented certificate chain (leaf first, as from {@link peerCertificateChain})
 * against a TLSA RRset, the way RFC 7672 §3.1 and Postfix do:
 *
 * - **DANE-EE(3)** matches the leaf's full certificate (selector 0) or its DER SubjectPublicKeyInfo
 *   (selector 1). No name, expiry or chain check applies (§3.1.1).
 * - **DANE-TA(2)** matches a certificate of the chain above the leaf (or is itself the anchor for
 *   `2 0 0` / `2 1 0`); the chain from the leaf to it must verify (issuer names, signatures, CA
 *   flags), every certificate on it must be valid at `now`, and the leaf must carry one of
 *   `options.names` (§3.1.2).
 *
 * Unusable records (usages 0/1, unknown parameters) are ignored. Pure: no I/O. Arguments of the
 * wrong kind throw `EPOLICY` naming the field.
 *
 * @example
 * ```ts
 * const result = matchTlsa(peerCertificateChain(socket), tlsa.records, {
 *   names: ['mandant.test', 'mx1.mandant.test'],
 * });
 * if (!result.matched) throw new ForcedTlsError(result.code, result.message);
 * ```
 */
export function matchTlsa(
  certificates: readonly X509Certificate[],
  tlsa: readonly TlsaRecord[],
  settings: DaneMatchOptions,
): DaneMatch {
  const chain = chainArgument('chain', certificates);
  const records = tlsaRecordsArgument('records', tlsa);
  const options = matchOptionsArgument('options', settings);
  const usable = records.filter(isUsableTlsa);
  if (usable.length === 0) return mismatch('no_usable_records');
  const leaf = chain[0];
  if (leaf === undefined) return mismatch('empty_chain');
  for (const record of usable) {
    if (record.usage !== TLSA_USAGE.DANE_EE) continue;
    if (tlsaAssociationData(leaf, record.selector, record.matchingType).equals(Buffer.from(record.data))) {
      return { matched: true, record, usage: 'dane-ee', depth: 0 };
    }
  }
  const now = options.now ?? new Date();
  let best: { reason: DaneMatchFailure; record?: TlsaRecord } = { reason: 'no_match' };
  for (const record of usable) {
    if (record.usage !== TLSA_USAGE.DANE_TA) continue;
    const check = checkTrustAnchor(chain, record, options.names, now);
    if (check.ok) return { matched: true, record, usage: 'dane-ta', depth: check.depth, name: check.name };
    if (PROGRESS.indexOf(check.reason) > PROGRESS.indexOf(best.reason))
      best = { reason: check.reason, record };
  }
  return mismatch(best.reason, best.record);
}
