import { argumentError, readArgument } from '../errors/index.js';
import type { InboundReason } from './guard-types.js';

/** An error smtp-server turns into a reply: `responseCode` then the message. */
export interface ReplyError extends Error {
  readonly responseCode: number;
}

/** The reply for a refused `MAIL FROM`. */
export interface GuardReply {
  /** The SMTP reply code: 530 or 450 (TLS missing or too old), 553 (invalid sender), 451 (local problem). */
  readonly code: number;
  /** Reply text; starts with the enhanced status code unless the server adds its own. */
  readonly message: string;
}

const REASONS: readonly InboundReason[] = [
  'tls_ok',
  'tls_not_required',
  'whitelisted',
  'tls_missing',
  'tls_version_too_old',
  'invalid_sender',
  'report_failed',
];

function checkArguments(reason: unknown, rejectAs: unknown, input: unknown, withEnhanced: unknown) {
  if (!REASONS.includes(reason as InboundReason)) throw argumentError('reason', reason, 'an inbound reason');
  if (rejectAs !== 'permanent' && rejectAs !== 'temporary') {
    throw argumentError('rejectAs', rejectAs, "'permanent' or 'temporary'");
  }
  const details = readArgument('details', input, { protocol: 'any', minVersion: 'string' });
  if (details.protocol !== undefined && details.protocol !== null && typeof details.protocol !== 'string') {
    throw argumentError('details.protocol', details.protocol, 'a TLS version name or null');
  }
  if (typeof withEnhanced !== 'boolean') throw argumentError('withEnhanced', withEnhanced, 'true or false');
  return details as { readonly protocol?: string | null; readonly minVersion?: string };
}

/**
 * Builds the reply for a rejection. With `withEnhanced` false (smtp-server configured with
 * `hideENHANCEDSTATUSCODES: false` adds its own), the enhanced code is left out of the text.
 * The inbound guard and the Postfix policy service both answer with it. Arguments of the wrong
 * kind throw `EPOLICY` naming them.
 *
 * @example
 * ```ts
 * rejectionReply('tls_missing', 'temporary', { protocol: null, minVersion: 'TLSv1.2' }, true);
 * // { code: 450, message: '4.7.0 Must issue a STARTTLS command first' }
 * ```
 */
export function rejectionReply(
  reason: InboundReason,
  rejectAs: 'permanent' | 'temporary',
  input: { readonly protocol: string | null; readonly minVersion: string },
  withEnhanced: boolean,
): GuardReply {
  const details = checkArguments(reason, rejectAs, input, withEnhanced);
  const permanent = rejectAs === 'permanent';
  let code: number;
  let enhanced: string;
  let text: string;
  if (reason === 'invalid_sender') {
    [code, enhanced, text] = [553, '5.1.7', 'Invalid sender address'];
  } else if (reason === 'report_failed') {
    [code, enhanced, text] = [451, '4.3.0', 'Temporary local problem, try again later'];
  } else if (reason === 'tls_version_too_old') {
    [code, enhanced] = permanent ? [530, '5.7.0'] : [450, '4.7.0'];
    text = `${details.protocol ?? 'This TLS version'} is too old for this sender, ${details.minVersion} or later is required`;
  } else {
    [code, enhanced] = permanent ? [530, '5.7.0'] : [450, '4.7.0'];
    text = 'Must issue a STARTTLS command first';
  }
  return { code, message: withEnhanced ? `${enhanced} ${text}` : text };
}

/** The error object to pass to an smtp-server handler callback. */
export function replyError(reply: GuardReply): ReplyError {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}
