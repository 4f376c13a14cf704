/**
 * One socketmap reply (socketmap_table(5)): `OK <data>` (found), `NOTFOUND ` (not in this table),
 * `TEMP`/`TIMEOUT <reason>` (try again later), `PERM <reason>` (configuration error). For Postfix's
 * TLS policy table every reply but `OK` and `NOTFOUND` defers the delivery
 * (`4.7.5 client TLS configuration problem`): the fail-closed answer.
 */
export type SocketmapReply =
  | {
      /** `OK`: the key was found. */
      readonly status: 'OK';
      /** The value the key maps to, sent after `OK ` (for the TLS policy table: a level and attributes). */
      readonly data: string;
    }
  | {
      /** `NOTFOUND`: the key is not in this table. */
      readonly status: 'NOTFOUND';
    }
  | {
      /** `TEMP`/`TIMEOUT`: try again later; `PERM`: a configuration error. */
      readonly status: 'TEMP' | 'TIMEOUT' | 'PERM';
      /** Why, for Postfix's log; sent as printable ASCII, cut at 200 characters. */
      readonly reason: string;
    };

import { argumentError, readArgument } from '../errors/index.js';

/** Postfix refuses a reply longer than this many characters (`dict_sockmap.c`). */
export const MAX_SOCKETMAP_REPLY = 100_000;

// Reasons are for Postfix's log: one line of printable ASCII, short.
function cleanReason(reason: string): string {
  const text = reason.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

const STATUSES = ['OK', 'NOTFOUND', 'TEMP', 'TIMEOUT', 'PERM'] as const;

// Read once: `data` (for OK) and `reason` (for the failures) must be strings.
function replyArgument(input: unknown): SocketmapReply {
  const r = readArgument('reply', input, { status: STATUSES, data: 'string', reason: 'string' });
  if (r.status === undefined) throw argumentError('reply.status', undefined, STATUSES.join(', '));
  const text = r.status === 'OK' ? 'data' : 'reason';
  if (r.status !== 'NOTFOUND' && r[text] === undefined)
    throw argumentError(`reply.${text}`, undefined, 'a string');
  return r as SocketmapReply;
}

/**
 * The payload of a reply's netstring. A reply that would exceed Postfix's 100,000-character cap
 * becomes `TEMP reply too long`, so Postfix defers instead of failing on a reply it cannot read.
 *
 * @example
 * ```ts
 * formatSocketmapReply({ status: 'OK', data: 'encrypt protocols=>=TLSv1.2' }); // 'OK encrypt protocols=>=TLSv1.2'
 * formatSocketmapReply({ status: 'NOTFOUND' }); // 'NOTFOUND '
 * ```
 */
export function formatSocketmapReply(input: SocketmapReply): string {
  const reply = replyArgument(input);
  let text: string;
  if (reply.status === 'OK') text = `OK ${reply.data}`;
  else if (reply.status === 'NOTFOUND') text = 'NOTFOUND ';
  else text = `${reply.status} ${cleanReason(reply.reason)}`;
  if (Buffer.byteLength(text, 'utf8') > MAX_SOCKETMAP_REPLY) return 'TEMP reply too long';
  return text;
}

/** A `TEMP` reply. */
export function temporaryFailure(reason: string): SocketmapReply {
  return { status: 'TEMP', reason };
}
