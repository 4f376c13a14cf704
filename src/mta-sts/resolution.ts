import type { MtaStsCacheEntry } from './cache-types.js';
import type { MtaStsTxtLookup } from './discover.js';
import type { MtaStsFailure } from './failure.js';
import type { MtaStsResolution, MtaStsSource } from './resolver-types.js';

/** What a resolution adds to its policy (or to the absence of one). */
export interface ResolutionExtras {
  readonly txt?: MtaStsTxtLookup | undefined;
  readonly failure?: MtaStsFailure | undefined;
  readonly refreshing?: boolean;
}

function extras(extra: ResolutionExtras): Partial<MtaStsResolution> {
  return {
    ...(extra.txt === undefined ? {} : { txt: extra.txt }),
    ...(extra.failure === undefined ? {} : { failure: extra.failure }),
  };
}

/** Whether `entry` may still be applied at `now`: strictly before its `expiresAt`. */
export function isEntryValid(entry: MtaStsCacheEntry | undefined, now: Date): entry is MtaStsCacheEntry {
  return entry !== undefined && now.getTime() < Date.parse(entry.expiresAt);
}

/** The resolution that applies `entry`'s policy. */
export function applyEntry(
  source: Exclude<MtaStsSource, 'none'>,
  entry: MtaStsCacheEntry,
  now: Date,
  extra: ResolutionExtras = {},
): MtaStsResolution {
  return Object.freeze({
    domain: entry.domain,
    source,
    mode: entry.policy.mode,
    policy: entry.policy,
    id: entry.id,
    fetchedAt: entry.fetchedAt,
    checkedAt: entry.checkedAt,
    expiresAt: entry.expiresAt,
    ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(entry.fetchedAt)) / 1000)),
    ...extras(extra),
    refreshing: extra.refreshing ?? false,
    resolvedAt: now.toISOString(),
  });
}

/** The resolution without a policy: deliver as though the domain had not implemented MTA-STS. */
export function noPolicy(domain: string, now: Date, extra: ResolutionExtras = {}): MtaStsResolution {
  return Object.freeze({
    domain,
    source: 'none' as const,
    mode: 'none' as const,
    ...extras(extra),
    refreshing: extra.refreshing ?? false,
    resolvedAt: now.toISOString(),
  });
}
