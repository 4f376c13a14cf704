import { ForcedTlsError } from '../errors/forced-tls-error.js';

/**
 * An `ESTORE` error about the whitelist file `file`. `path` is the JSON path of the offending part
 * inside the file (e.g. `entries[3].scope`) when there is one; `cause` the underlying error.
 */
export function storeError(
  file: string,
  problem: string,
  details: { readonly path?: string; readonly value?: unknown; readonly cause?: unknown } = {},
): ForcedTlsError {
  return new ForcedTlsError('ESTORE', `Whitelist file ${file}: ${problem}`, details);
}

/** The `code` of a Node.js system error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
