import {
  type DaneRequirement,
  type DaneRequirementOptions,
  daneRequirement,
  type TlsaRecord,
  tlsaLookupNeeded,
} from '../dane/index.js';
import { argumentError, readArgument } from '../errors/index.js';
import { normalizeDnsName } from './dns-name.js';
import type { DnssecAnswer, DnssecResolver } from './types.js';

/** Options of {@link lookupDaneHost}. */
export interface DaneHostOptions extends DaneRequirementOptions {
  /** Which address records to look up. @default ['A', 'AAAA'] */
  readonly addressTypes?: readonly ('A' | 'AAAA')[];
  /** The TCP port of the TLSA name `_<port>._tcp.<host>`. @default 25 */
  readonly port?: number;
  /** Ends the lookups early (they then count as `failed`, so the host is deferred). */
  readonly signal?: AbortSignal;
}

/** What {@link lookupDaneHost} found: the requirement and every answer behind it, for reports. */
export interface DaneHostResult {
  /** The MX host name (lowercase, no trailing dot). */
  readonly host: string;
  /** What a session to the host must do, from the answers below ({@link daneRequirement}). */
  readonly requirement: DaneRequirement;
  /** The address answers (A, then AAAA), empty when the MX answer alone decided. */
  readonly addresses: readonly DnssecAnswer<string>[];
  /** The TLSA answer, when the lookup was needed. */
  readonly tlsa?: DnssecAnswer<TlsaRecord>;
}

const OPTION_FIELDS = {
  level: ['dane', 'dane-only'],
  insecureMx: ['may', 'encrypt', 'dane'],
  addressTypes: 'array',
  port: 'number',
  signal: 'object',
} as const;

// Arguments read once; the MX answer's fields are checked again by daneRequirement.
function checkArguments(resolver: unknown, mx: unknown, input: unknown) {
  const r = readArgument('resolver', resolver, { lookup: 'function', tlsa: 'function' });
  if (r.lookup === undefined || r.tlsa === undefined) {
    throw argumentError('resolver', resolver, 'a DnssecResolver (from createDnssecResolver)');
  }
  const answer = readArgument('mx', mx, { status: 'string', kind: 'string', records: 'array' });
  const options = readArgument('options', input, OPTION_FIELDS, { optional: true }) as DaneHostOptions;
  const types = options.addressTypes === undefined ? undefined : Array.from(options.addressTypes);
  types?.forEach((type, i) => {
    if (type !== 'A' && type !== 'AAAA')
      throw argumentError(`options.addressTypes[${i}]`, type, "'A' or 'AAAA'");
  });
  return {
    mx: answer as DnssecAnswer<unknown>,
    options: types === undefined ? options : { ...options, addressTypes: types },
  };
}

/**
 * The DNSSEC lookups for one MX host and what they require ({@link daneRequirement}): A and AAAA
 * in parallel, then the TLSA lookup only when the MX and address answers allow DANE
 * ({@link tlsaLookupNeeded}), as Postfix does. `mx` is the domain's MX answer from the same resolver.
 * Rejects with `EADDRESS` for a malformed host name and `EPOLICY` for arguments of the wrong kind.
 *
 * @example
 * ```ts
 * const mx = await dnssec.mx('mandant.test');
 * for (const { exchange } of mx.records) {
 *   const { requirement } = await lookupDaneHost(dnssec, mx, exchange);
 *   if (requirement.status === 'deferred') continue; // try the next MX later
 * }
 * ```
 */
export async function lookupDaneHost(
  resolver: DnssecResolver,
  mxAnswer: DnssecAnswer<unknown>,
  host: string,
  settings: DaneHostOptions = {},
): Promise<DaneHostResult> {
  const { mx, options } = checkArguments(resolver, mxAnswer, settings);
  const name = normalizeDnsName(host);
  const mxDecides =
    mx.status === 'bogus' ||
    mx.status === 'failed' ||
    (mx.status === 'insecure' && (options.insecureMx ?? 'may') === 'may');
  if (mxDecides)
    return { host: name, requirement: daneRequirement({ mx, addresses: [] }, options), addresses: [] };
  const lookupOptions = options.signal === undefined ? {} : { signal: options.signal };
  const types = options.addressTypes ?? ['A', 'AAAA'];
  const addresses = await Promise.all(types.map((type) => resolver.lookup(name, type, lookupOptions)));
  if (!tlsaLookupNeeded({ mx, addresses }, options)) {
    return { host: name, requirement: daneRequirement({ mx, addresses }, options), addresses };
  }
  const tlsa = await resolver.tlsa(name, options.port ?? 25, lookupOptions);
  return { host: name, requirement: daneRequirement({ mx, addresses, tlsa }, options), addresses, tlsa };
}
