import type { WhitelistIndex } from '../policy/index.js';

/**
 * Where the transports and the inbound guard get the current whitelist from: a `Whitelist` from
 * `createWhitelist` (its cached `snapshot()`), a fixed index from `createWhitelistIndex`, or a
 * function returning an index. Read once per message (outbound) or per `MAIL FROM` (inbound).
 */
export type WhitelistSource =
  | WhitelistIndex
  | { snapshot(): Promise<WhitelistIndex> }
  | (() => WhitelistIndex | Promise<WhitelistIndex>);

/** Reads the current index from a {@link WhitelistSource}; rejects if the source fails. */
export async function readWhitelistSource(source: WhitelistSource): Promise<WhitelistIndex> {
  if (typeof source === 'function') return source();
  if ('snapshot' in source && typeof source.snapshot === 'function') return source.snapshot();
  return source as WhitelistIndex;
}

/** The index to decide with (none when no source is configured), or why it could not be read. */
export type LoadedWhitelist =
  | { readonly index: WhitelistIndex | undefined; readonly error?: undefined }
  | { readonly index: undefined; readonly error: unknown };

/**
 * Reads the current whitelist without throwing: the one place the transports and the inbound guard
 * read it. Each decides what a failure means — deciding without the whitelist is always stricter
 * (entries only ever lower a requirement), so a broken store never lets plaintext through.
 */
export async function loadWhitelist(source: WhitelistSource | undefined): Promise<LoadedWhitelist> {
  if (source === undefined) return { index: undefined };
  try {
    return { index: await readWhitelistSource(source) };
  } catch (error) {
    return { index: undefined, error };
  }
}
