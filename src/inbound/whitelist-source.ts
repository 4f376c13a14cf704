import type { WhitelistIndex } from '../policy/whitelist-index.js';
import { readWhitelistSource, type WhitelistSource } from '../whitelist/source.js';

/** The index to decide with, or the reason it could not be read. */
export type LoadedWhitelist =
  | { readonly index: WhitelistIndex | undefined; readonly error?: undefined }
  | { readonly index: undefined; readonly error: string };

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
    return { index: undefined, error: error instanceof Error ? error.message : String(error) };
  }
}
