import { ForcedTlsError } from '../errors/forced-tls-error.js';
import type { WhitelistIndex } from '../policy/whitelist-index.js';
import { readWhitelistSource, type WhitelistSource } from '../whitelist/source.js';

/** Reads the whitelist for one message; a store failure is an `ESTORE` error (nothing sent). */
export async function readWhitelist(
  source: WhitelistSource | undefined,
): Promise<WhitelistIndex | undefined> {
  if (source === undefined) return undefined;
  try {
    return await readWhitelistSource(source);
  } catch (error) {
    throw new ForcedTlsError('ESTORE', 'The whitelist could not be read; nothing was sent', { cause: error });
  }
}
