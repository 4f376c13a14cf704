import type { WhitelistIndex } from '../policy/whitelist-index.js';

/**
 * Where the transports and the inbound guard get the current whitelist from: a `Whitelist` from
 * `createWhitelist` (its cached `snapshot()`), a fixed index from `createWhitelistIndex`, or a
 * function returning an index. Read once per message (outbound) or per `MAIL FROM` (inbound).
 */
export type WhitelistSource =
  | WhitelistIndex
  | {
      /** The current index (a `Whitelist` caches it until the store changes). */
      snapshot(): Promise<WhitelistIndex>;
    }
  | (() => WhitelistIndex | Promise<WhitelistIndex>);

/** Reads the current index from a {@link WhitelistSource}; rejects if the source fails. */
export async function readWhitelistSource(source: WhitelistSource): Promise<WhitelistIndex> {
  if (typeof source === 'function') return source();
  if ('snapshot' in source && typeof source.snapshot === 'function') return source.snapshot();
  return source as WhitelistIndex;
}
