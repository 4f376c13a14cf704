import { ForcedTlsError } from '../errors/index.js';

/** A Postfix release as `major.minor`, e.g. `'3.7'` (Debian 12) or `'3.10'`. */
export type PostfixVersion = `${number}.${number}`;

/** The version replies are written for unless told otherwise: Debian 12's Postfix 3.7. */
export const DEFAULT_POSTFIX_VERSION: PostfixVersion = '3.7';

/** A parsed version, comparable as a number pair. */
export interface ParsedPostfixVersion {
  /** The major release, e.g. `3`. */
  readonly major: number;
  /** The minor release, e.g. `7` (a patch level such as `.11` is dropped). */
  readonly minor: number;
}

/**
 * Parses `3.7`, `3.7.11` or `3.10.2` (the output of `postconf -h mail_version`). Throws `EPOLICY`
 * for anything else, naming `path`.
 *
 * @example
 * ```ts
 * parsePostfixVersion('3.7.11'); // { major: 3, minor: 7 }
 * ```
 */
export function parsePostfixVersion(text: string, name = 'postfixVersion'): ParsedPostfixVersion {
  const path = typeof name === 'string' ? name : 'postfixVersion';
  const match = typeof text === 'string' ? /^([0-9]{1,3})\.([0-9]{1,3})(?:\.[0-9]{1,4})?$/.exec(text) : null;
  if (match === null) {
    throw new ForcedTlsError('EPOLICY', `${path} must be a Postfix version such as 3.7 or 3.10.1`, {
      path,
      value: text,
    });
  }
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** True when `version` is `since` or later. */
export function atLeast(version: ParsedPostfixVersion, since: ParsedPostfixVersion): boolean {
  return version.major > since.major || (version.major === since.major && version.minor >= since.minor);
}
