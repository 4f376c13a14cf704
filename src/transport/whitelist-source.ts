import { ForcedTlsError } from '../errors/forced-tls-error.js';
import type { WhitelistIndex } from '../policy/whitelist-index.js';

/** Anything that yields the current whitelist: `createWhitelist(store)` or a fixed index. */
export interface WhitelistSource {
  snapshot(): Promise<WhitelistIndex>;
}

/** Reads the whitelist for one message; a store failure is an `ESTORE` error (nothing sent). */
export async function readWhitelist(
  source: WhitelistSource | undefined,
): Promise<WhitelistIndex | undefined> {
  if (source === undefined) return undefined;
  try {
    return await source.snapshot();
  } catch (error) {
    throw new ForcedTlsError('ESTORE', 'The whitelist could not be read; nothing was sent', { cause: error });
  }
}
