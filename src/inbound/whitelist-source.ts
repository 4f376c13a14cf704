import { isForcedTlsError } from '../errors/index.js';
import type { WhitelistIndex } from '../policy/index.js';
import { readWhitelistSource, type WhitelistSource } from '../whitelist/index.js';

/** The index to decide with, or the reason it could not be read. */
export type LoadedWhitelist =
  | { readonly index: WhitelistIndex | undefined; readonly error?: undefined }
  | { readonly index: undefined; readonly error: string };

// The source's own words: readWhitelistSource wraps a failing source's error as ESTORE's cause.
function reason(error: unknown): string {
  const inner = isForcedTlsError(error) && error.cause instanceof Error ? error.cause : error;
  return inner instanceof Error ? inner.message : String(inner);
}

/**
 * Reads the current whitelist. A failing source yields no index and the error message: deciding
 * without the whitelist is stricter (entries only ever lower a requirement), so a broken store
 * never lets plaintext through.
 */
export async function loadWhitelist(source: WhitelistSource | undefined): Promise<LoadedWhitelist> {
  if (source === undefined) return { index: undefined };
  try {
    return { index: await readWhitelistSource(source) };
  } catch (error) {
    return { index: undefined, error: reason(error) };
  }
}
