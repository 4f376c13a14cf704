import { ForcedTlsError } from '../errors/index.js';

/**
 * An `ESTORE` error about the MTA-STS policy cache: `where` is the file (or `memory`), `path` the
 * field or JSON path at fault, `cause` the underlying error.
 */
export function cacheStoreError(
  where: string,
  problem: string,
  details: { readonly path?: string; readonly value?: unknown; readonly cause?: unknown } = {},
): ForcedTlsError {
  return new ForcedTlsError('ESTORE', `MTA-STS policy cache ${where}: ${problem}`, details);
}
