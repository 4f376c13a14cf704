import type { DnssecResolver } from '../dnssec/index.js';
import { ForcedTlsError } from '../errors/index.js';
import type { MtaStsResolver } from '../mta-sts/index.js';
import type { Clock } from '../whitelist/index.js';
import type { PublishedSources } from './published-lookup.js';
import { RecheckLimiter } from './recheck-limiter.js';

function methods(value: unknown, names: readonly string[], path: string, what: string): void {
  const r = value as Partial<Record<string, unknown>> | null;
  for (const name of names) {
    if (typeof r?.[name] !== 'function') {
      throw new ForcedTlsError('EPOLICY', `${path} must be ${what} (no ${name}() method)`, {
        path,
        value: typeof value,
      });
    }
  }
}

/**
 * Checks the `mtaSts` and `dnssec` options of the TLS policy table at construction (`EPOLICY`
 * naming the field) and bundles them; `undefined` when neither is given, so the table answers from
 * the local policy alone, as before.
 *
 * @example
 * ```ts
 * const sources = checkPublishedSources(mtaSts, undefined, () => new Date());
 * ```
 */
export function checkPublishedSources(
  mtaSts: unknown,
  dnssec: unknown,
  clock: Clock,
): PublishedSources | undefined {
  if (mtaSts === undefined && dnssec === undefined) return undefined;
  if (mtaSts !== undefined) methods(mtaSts, ['resolve', 'recheck'], 'mtaSts', 'an MTA-STS resolver');
  if (dnssec !== undefined) methods(dnssec, ['mx', 'lookup', 'tlsa'], 'dnssec', 'a DNSSEC resolver');
  return {
    mtaSts: mtaSts as MtaStsResolver | undefined,
    dnssec: dnssec as DnssecResolver | undefined,
    rechecks: new RecheckLimiter(clock),
  };
}
