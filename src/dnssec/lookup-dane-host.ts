import {
  type DaneRequirement,
  type DaneRequirementOptions,
  daneRequirement,
  type TlsaRecord,
  tlsaLookupNeeded,
} from '../dane/index.js';
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

/**
 * The DNSSEC lookups for one MX host and what they require ({@link daneRequirement}): A and AAAA
 * in parallel, then the TLSA lookup only when the MX and address answers allow DANE
 * ({@link tlsaLookupNeeded}), as Postfix does. `mx` is the domain's MX answer from the same resolver.
 * Rejects with `EADDRESS` only for a malformed host name.
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
  mx: DnssecAnswer<unknown>,
  host: string,
  options: DaneHostOptions = {},
): Promise<DaneHostResult> {
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
