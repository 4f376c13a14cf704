import type { ConnectHook, Resolver } from '../dns/index.js';
import type { Clock } from '../internal/clock.js';
import { optionError } from '../internal/options.js';
import { createMtaStsResolver, type MtaStsResolver } from '../mta-sts/index.js';

/**
 * Why the probe did not look for an MTA-STS policy: `disabled` (`mtaSts: false`), `no_txt_lookup`
 * (no resolver was given and the probe's `resolver` has no `resolveTxt`).
 */
export type MtaStsOff = 'disabled' | 'no_txt_lookup';

/** What the probe's own default MTA-STS resolver is built from. */
interface DefaultParts {
  readonly resolver: Resolver;
  readonly connect: ConnectHook | undefined;
  readonly ca: readonly string[] | undefined;
  readonly clock: Clock;
}

/**
 * The `mtaSts` probe option: the given resolver, none (`false`), or a default one on the probe's own
 * DNS, connect hook, extra CAs and clock, with a memory cache. A value that is not a resolver is
 * `EPOLICY`.
 */
export function resolveMtaStsOption(
  value: unknown,
  parts: DefaultParts,
): { readonly mtaSts: MtaStsResolver | undefined; readonly mtaStsOff: MtaStsOff | undefined } {
  if (value === false) return { mtaSts: undefined, mtaStsOff: 'disabled' };
  if (value !== undefined) {
    const r = value as Partial<Record<string, unknown>> | null;
    if (typeof r?.['recheck'] !== 'function') {
      throw optionError('mtaSts', typeof value, 'must be an MTA-STS resolver or false', 'probe option');
    }
    return { mtaSts: value as MtaStsResolver, mtaStsOff: undefined };
  }
  if (typeof parts.resolver.resolveTxt !== 'function')
    return { mtaSts: undefined, mtaStsOff: 'no_txt_lookup' };
  const mtaSts = createMtaStsResolver({
    resolver: parts.resolver,
    clock: parts.clock,
    ...(parts.connect === undefined ? {} : { connect: parts.connect }),
    ...(parts.ca === undefined ? {} : { ca: parts.ca }),
  });
  return { mtaSts, mtaStsOff: undefined };
}
