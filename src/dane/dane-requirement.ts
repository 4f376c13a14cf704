import { ForcedTlsError } from '../errors/index.js';
import { daneLookupsArgument, daneOptionsArgument } from './check-arguments.js';
import type {
  DaneDnssecStatus,
  DaneHostLookups,
  DaneRequirement,
  DaneRequirementOptions,
  DaneRequirementReason,
  DaneRequirementStatus,
} from './requirement-types.js';
import { isUsableTlsa } from './tlsa-usability.js';
import type { DnssecLookup, DnssecStatus, TlsaRecord } from './types.js';

const MESSAGES: Readonly<Record<DaneRequirementReason, string>> = {
  usable_tlsa: 'DNSSEC-validated usable TLSA records: the certificate must match one',
  unusable_tlsa: 'DNSSEC-validated TLSA records, none usable: TLS mandatory, unauthenticated',
  tlsa_denied: 'no TLSA records (authenticated denial)',
  tlsa_insecure: 'TLSA lookup not DNSSEC-validated',
  mx_insecure: 'MX lookup not DNSSEC-validated',
  address_insecure: 'address lookup not DNSSEC-validated',
  mx_failed: 'MX lookup failed or bogus',
  address_failed: 'address lookup failed or bogus',
  tlsa_failed: 'TLSA lookup failed or bogus',
};

const RANK: Readonly<Record<DnssecStatus, number>> = { secure: 0, insecure: 1, bogus: 2, failed: 2 };

// The worst status of the address lookups; none at all proves nothing, so it counts as insecure.
function addressStatus(lookups: readonly DnssecLookup<unknown>[]): DnssecStatus {
  let result: DnssecStatus = lookups.length === 0 ? 'insecure' : 'secure';
  for (const { status } of lookups) if (RANK[status] > RANK[result]) result = status;
  return result;
}

const failed = (status: DnssecStatus | undefined): boolean => status === 'bogus' || status === 'failed';

/**
 * Whether the `_25._tcp.<host>` TLSA lookup is needed: the MX lookup is secure (or insecure and
 * `insecureMx` is not `may`), and every address lookup is secure. Postfix makes no TLSA lookup
 * otherwise, and neither should a caller.
 *
 * @example
 * ```ts
 * if (tlsaLookupNeeded({ mx, addresses: [a, aaaa] })) tlsa = await resolver.tlsa(host);
 * ```
 */
export function tlsaLookupNeeded(input: DaneHostLookups, settings: DaneRequirementOptions = {}): boolean {
  const lookups = daneLookupsArgument(input);
  const options = daneOptionsArgument(settings);
  const mx = lookups.mx.status;
  if (failed(mx) || (mx === 'insecure' && (options.insecureMx ?? 'may') === 'may')) return false;
  return addressStatus(lookups.addresses) === 'secure';
}

function outcome(
  status: DaneRequirementStatus,
  reason: DaneRequirementReason,
  dnssec: DaneDnssecStatus,
  records: { usable?: readonly TlsaRecord[]; unusable?: readonly TlsaRecord[] } = {},
): DaneRequirement {
  const refusal =
    status === 'deferred'
      ? ({ code: 'EDNSSEC', transient: true, tlsRpt: 'dnssec-invalid' } as const)
      : status === 'refused'
        ? ({ code: 'EDANEREQUIRED', transient: true, tlsRpt: 'dane-required' } as const)
        : {};
  return {
    status,
    reason,
    records: records.usable ?? [],
    unusable: records.unusable ?? [],
    dnssec,
    ...refusal,
    message: `DANE: ${MESSAGES[reason]}${status === 'refused' ? ' (DANE required)' : ''}`,
  };
}

/**
 * The RFC 7672 rules, as Postfix implements them, from the DNSSEC lookups of one MX host to what a
 * session to it must do. Pure: no I/O. In order:
 *
 * 1. MX lookup bogus/failed → `deferred` (`mx_failed`); MX insecure → `no_dane` (`mx_insecure`), unless
 *    `insecureMx` says otherwise;
 * 2. any address lookup bogus/failed → `deferred`; any insecure → `no_dane`;
 * 3. TLSA lookup bogus/failed → `deferred` (never "no TLSA"); insecure → `no_dane`; secure NXDOMAIN or
 *    NODATA (authenticated denial) → `no_dane` (`tlsa_denied`);
 * 4. secure TLSA with a usable record → `dane_required`; with only unusable records → `tls_required`.
 *
 * Under level `dane-only` every `no_dane` and `tls_required` becomes `refused` (`EDANEREQUIRED`).
 * Throws `EPOLICY` when the TLSA lookup is needed ({@link tlsaLookupNeeded}) but not given, and for
 * arguments of the wrong kind (naming the field).
 *
 * @example
 * ```ts
 * const requirement = daneRequirement({ mx, addresses: [a, aaaa], tlsa });
 * if (requirement.status === 'deferred') defer(requirement.code, requirement.message);
 * if (requirement.status === 'dane_required') checkChain(requirement.records);
 * ```
 */
export function daneRequirement(
  input: DaneHostLookups,
  settings: DaneRequirementOptions = {},
): DaneRequirement {
  const lookups = daneLookupsArgument(input);
  const options = daneOptionsArgument(settings);
  const insecureMx = options.insecureMx ?? 'may';
  const only = options.level === 'dane-only';
  const noDane = (
    reason: DaneRequirementReason,
    dnssec: DaneDnssecStatus,
    unusable?: readonly TlsaRecord[],
  ) => outcome(only ? 'refused' : 'no_dane', reason, dnssec, unusable === undefined ? {} : { unusable });

  const mx = lookups.mx.status;
  if (failed(mx)) return outcome('deferred', 'mx_failed', { mx });
  if (mx === 'insecure' && insecureMx === 'may') return noDane('mx_insecure', { mx });
  const address = addressStatus(lookups.addresses);
  const withAddress: DaneDnssecStatus = { mx, address };
  if (failed(address)) return outcome('deferred', 'address_failed', withAddress);
  if (address === 'insecure') return noDane('address_insecure', withAddress);

  const { tlsa } = lookups;
  if (tlsa === undefined) {
    throw new ForcedTlsError('EPOLICY', 'daneRequirement: the TLSA lookup is needed but was not given', {
      path: 'tlsa',
    });
  }
  const dnssec: DaneDnssecStatus = { ...withAddress, tlsa: tlsa.status };
  if (failed(tlsa.status)) return outcome('deferred', 'tlsa_failed', dnssec);
  if (tlsa.status === 'insecure') return noDane('tlsa_insecure', dnssec);
  if (tlsa.kind !== 'records' || tlsa.records.length === 0) return noDane('tlsa_denied', dnssec);

  const usable = tlsa.records.filter(isUsableTlsa);
  const unusable = tlsa.records.filter((r) => !isUsableTlsa(r));
  if (mx === 'insecure' && insecureMx === 'encrypt') {
    return outcome(only ? 'refused' : 'tls_required', 'mx_insecure', dnssec, { unusable });
  }
  if (usable.length > 0) return outcome('dane_required', 'usable_tlsa', dnssec, { usable, unusable });
  return only
    ? outcome('refused', 'unusable_tlsa', dnssec, { unusable })
    : outcome('tls_required', 'unusable_tlsa', dnssec, { unusable });
}
