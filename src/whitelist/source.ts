import { describeValue, ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import { isWhitelistIndex, type WhitelistIndex } from '../policy/index.js';

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

function hasSnapshot(value: object): value is { snapshot(): Promise<WhitelistIndex> } {
  try {
    return typeof (value as { snapshot?: unknown }).snapshot === 'function';
  } catch {
    return false;
  }
}

/**
 * Throws `EPOLICY` naming `path` unless `value` is a {@link WhitelistSource} (or undefined): what
 * the transports and the guard check at construction, so a wrong type fails there and not at the
 * first message.
 *
 * @example
 * ```ts
 * checkWhitelistSource(whitelist); // ok; checkWhitelistSource(5) throws EPOLICY naming whitelist
 * ```
 */
export function checkWhitelistSource(value: unknown, path = 'whitelist'): void {
  if (value === undefined || typeof value === 'function') return;
  if (typeof value === 'object' && value !== null && (hasSnapshot(value) || isWhitelistIndex(value))) return;
  throw new ForcedTlsError(
    'EPOLICY',
    `Invalid option ${path} ${describeValue(value)}: must be a Whitelist, a WhitelistIndex or a function returning one`,
    { path, value: typeof value },
  );
}

/**
 * Reads the current index from a {@link WhitelistSource}. Rejects with `EPOLICY` for a value that
 * is no source, and with `ESTORE` (the failure as `cause`) when the source fails or answers with
 * something that is not an index.
 *
 * @example
 * ```ts
 * const index = await readWhitelistSource(whitelist); // whitelist.snapshot()
 * policy.outbound('info@mandant-gmbh.de', { whitelist: index });
 * ```
 */
export async function readWhitelistSource(source: WhitelistSource): Promise<WhitelistIndex> {
  checkWhitelistSource(source, 'source');
  let index: unknown;
  try {
    if (typeof source === 'function') index = await source();
    else if (hasSnapshot(source)) index = await source.snapshot();
    else index = source;
  } catch (error) {
    if (isForcedTlsError(error)) throw error;
    const why = error instanceof Error ? `: ${error.message}` : '';
    throw new ForcedTlsError('ESTORE', `The whitelist source failed${why}`, { cause: error });
  }
  if (!isWhitelistIndex(index)) {
    throw new ForcedTlsError('ESTORE', 'The whitelist source did not answer with a WhitelistIndex', {
      value: typeof index,
    });
  }
  return index;
}

/** The index to decide with (none when no source is configured), or why it could not be read. */
export type LoadedWhitelist =
  | { readonly index: WhitelistIndex | undefined; readonly error?: undefined }
  | { readonly index: undefined; readonly error: unknown };

/**
 * Reads the current whitelist without throwing: the one place the transports and the inbound guard
 * read it. Each decides what a failure means — deciding without the whitelist is always stricter
 * (entries only ever lower a requirement), so a broken store never lets plaintext through.
 *
 * @example
 * ```ts
 * const { index, error } = await loadWhitelist(whitelist);
 * ```
 */
export async function loadWhitelist(source: WhitelistSource | undefined): Promise<LoadedWhitelist> {
  if (source === undefined) return { index: undefined };
  try {
    return { index: await readWhitelistSource(source) };
  } catch (error) {
    return { index: undefined, error };
  }
}

/**
 * The source's own words for a failure (`readWhitelistSource` wraps a failing source's error as the
 * `cause` of an `ESTORE`), for reports such as the inbound guard's `whitelistError`.
 *
 * @example
 * ```ts
 * whitelistFailureText(error); // 'database unreachable'
 * ```
 */
export function whitelistFailureText(error: unknown): string {
  const inner = isForcedTlsError(error) && error.cause instanceof Error ? error.cause : error;
  return inner instanceof Error ? inner.message : String(inner);
}
