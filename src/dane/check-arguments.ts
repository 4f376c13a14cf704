import { X509Certificate } from 'node:crypto';
import { types } from 'node:util';
import { argumentError, isArray, isInstance, readArgument, stringsArgument } from '../errors/index.js';
import type { DaneMatchOptions } from './match-types.js';
import type { DaneHostLookups, DaneRequirement, DaneRequirementOptions } from './requirement-types.js';
import type { DnssecLookup, TlsaRecord } from './types.js';

// The DANE functions are pure and take data a resolver or a TLS session produced. A caller's
// wrong value is refused here with EPOLICY naming the argument, before any rule reads it.

const STATUSES = ['secure', 'insecure', 'bogus', 'failed'] as const;
const KINDS = ['records', 'nodata', 'nxdomain', 'error'] as const;
const REQUIREMENTS = ['dane_required', 'tls_required', 'no_dane', 'deferred', 'refused'] as const;

/**
 * A TLSA record argument, read once: numeric fields and `data` a `Uint8Array` (a `Buffer` is one).
 *
 * @example
 * ```ts
 * tlsaRecordArgument('record', { usage: 3, selector: 1, matchingType: 1, data }); // a plain copy
 * ```
 */
export function tlsaRecordArgument(path: string, value: unknown): TlsaRecord {
  const r = readArgument(path, value, {
    usage: 'number',
    selector: 'number',
    matchingType: 'number',
    data: 'object',
  });
  for (const field of ['usage', 'selector', 'matchingType'] as const) {
    if (r[field] === undefined) throw argumentError(`${path}.${field}`, undefined, 'a number');
  }
  if (!types.isUint8Array(r.data)) throw argumentError(`${path}.data`, r.data, 'a Uint8Array');
  return r as unknown as TlsaRecord;
}

/**
 * A list of TLSA records, each checked by {@link tlsaRecordArgument}.
 *
 * @example
 * ```ts
 * tlsaRecordsArgument('records', tlsa.records);
 * ```
 */
export function tlsaRecordsArgument(path: string, value: unknown): TlsaRecord[] {
  if (!isArray(value)) throw argumentError(path, value, 'an array of TLSA records');
  return Array.from(value as unknown[], (record, i) => tlsaRecordArgument(`${path}[${i}]`, record));
}

/**
 * A certificate argument: an `X509Certificate` of `node:crypto`.
 *
 * @example
 * ```ts
 * certificateArgument('cert', socket.getPeerX509Certificate());
 * ```
 */
export function certificateArgument(path: string, value: unknown): X509Certificate {
  if (!isInstance(value, X509Certificate)) throw argumentError(path, value, 'an X509Certificate');
  return value as X509Certificate;
}

/**
 * A presented chain: a list of `X509Certificate`s, leaf first.
 *
 * @example
 * ```ts
 * chainArgument('chain', peerCertificateChain(socket));
 * ```
 */
export function chainArgument(path: string, value: unknown): X509Certificate[] {
  if (!isArray(value)) throw argumentError(path, value, 'an array of X509Certificate');
  return Array.from(value as unknown[], (cert, i) => certificateArgument(`${path}[${i}]`, cert));
}

/** One DNSSEC lookup (`status`, `kind`, `records`), read once; `records` are not looked into. */
function lookupArgument(path: string, value: unknown): DnssecLookup<unknown> {
  const lookup = readArgument(path, value, { status: STATUSES, kind: KINDS, records: 'array' });
  if (lookup.status === undefined) throw argumentError(`${path}.status`, undefined, STATUSES.join(', '));
  if (lookup.kind === undefined) throw argumentError(`${path}.kind`, undefined, KINDS.join(', '));
  return { ...lookup, records: Array.from((lookup.records ?? []) as unknown[]) } as DnssecLookup<unknown>;
}

/**
 * The lookups of one MX host: `mx`, `addresses` and, when given, `tlsa` with checked records.
 *
 * @example
 * ```ts
 * daneLookupsArgument({ mx, addresses: [a, aaaa], tlsa });
 * ```
 */
export function daneLookupsArgument(value: unknown): DaneHostLookups {
  const l = readArgument('lookups', value, { mx: 'object', addresses: 'array', tlsa: 'object' });
  const mx = lookupArgument('lookups.mx', l.mx);
  if (!isArray(l.addresses)) throw argumentError('lookups.addresses', l.addresses, 'an array of lookups');
  const addresses = Array.from(l.addresses as unknown[], (a, i) =>
    lookupArgument(`lookups.addresses[${i}]`, a),
  ) as DnssecLookup<string>[];
  if (l.tlsa === undefined) return { mx, addresses };
  const tlsa = lookupArgument('lookups.tlsa', l.tlsa);
  const records = tlsaRecordsArgument('lookups.tlsa.records', tlsa.records);
  return { mx, addresses, tlsa: { ...tlsa, records } };
}

/**
 * The options of the DANE rules (`level`, `insecureMx`), read once.
 *
 * @example
 * ```ts
 * daneOptionsArgument({ level: 'dane-only' });
 * ```
 */
export function daneOptionsArgument(value: unknown): DaneRequirementOptions {
  return readArgument(
    'options',
    value,
    { level: ['dane', 'dane-only'], insecureMx: ['may', 'encrypt', 'dane'] },
    { optional: true },
  ) as DaneRequirementOptions;
}

/**
 * A requirement from `daneRequirement`, read once with its records checked.
 *
 * @example
 * ```ts
 * requirementArgument(daneRequirement(lookups));
 * ```
 */
export function requirementArgument(value: unknown): DaneRequirement {
  const r = readArgument('requirement', value, {
    status: REQUIREMENTS,
    reason: 'string',
    records: 'array',
    code: 'string',
    tlsRpt: 'string',
    message: 'string',
  });
  if (r.status === undefined) throw argumentError('requirement.status', undefined, REQUIREMENTS.join(', '));
  const records = tlsaRecordsArgument('requirement.records', r.records ?? []);
  return { ...r, records, message: r.message ?? '' } as unknown as DaneRequirement;
}

/**
 * The reference names and time of a DANE-TA check.
 *
 * @example
 * ```ts
 * matchOptionsArgument('options', { names: ['mandant.test', 'mx1.mandant.test'] });
 * ```
 */
export function matchOptionsArgument(path: string, value: unknown): DaneMatchOptions {
  const o = readArgument(path, value, { names: 'array', now: 'date' });
  const names = stringsArgument(`${path}.names`, o.names);
  return o.now === undefined ? { names } : { names, now: o.now as Date };
}
