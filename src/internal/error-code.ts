/**
 * The `code` of an error from `node:dns`, `node:net` or `node:tls` (`ENODATA`, `ECONNREFUSED`,
 * `CERT_HAS_EXPIRED`, …), or `undefined` when it carries none.
 *
 * @example
 * ```ts
 * errorCode(Object.assign(new Error('x'), { code: 'ETIMEOUT' })); // 'ETIMEOUT'
 * ```
 */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/**
 * The message of anything thrown: an `Error`'s message, else its string form.
 *
 * @example
 * ```ts
 * errorMessage(new Error('store down')); // 'store down'
 * ```
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
