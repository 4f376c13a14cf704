import { ERROR_CODES, type RecipientCode } from '../../errors/codes.js';
import type { DeliveryPhase } from '../../errors/recipient-failure.js';
import { certificateCode, PROTOCOL_VERSION_CODES } from '../../internal/tls-errors.js';
import { type Refusal, refusal } from '../refusal.js';
import { commandOf, type SessionTracker } from './session-tracker.js';

/** A nodemailer error as it arrives in callbacks: an Error with extra fields. */
export interface NodemailerErrorLike extends Error {
  code?: string | undefined;
  originalCode?: string | undefined;
  command?: string | undefined;
  response?: string | undefined;
  responseCode?: number | undefined;
  timeoutType?: string | undefined;
  recipient?: string | undefined;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND']);

function socketCode(
  original: string | undefined,
  step: SessionTracker['step'],
): [RecipientCode, DeliveryPhase] {
  const cert = certificateCode(original);
  if (cert !== undefined) return [cert, 'certificate'];
  if (original !== undefined && PROTOCOL_VERSION_CODES.has(original)) return ['ETLSVERSION', 'handshake'];
  if (original?.startsWith('ERR_SSL_') || original?.startsWith('ERR_TLS_'))
    return ['EHANDSHAKE', 'handshake'];
  if (step === 'handshake') return ['EHANDSHAKE', 'handshake'];
  if (original !== undefined && UNREACHABLE.has(original)) return ['ECONNECT', 'connect'];
  return ['ECONNECT', step];
}

function ehloRefusedInsideTls(error: NodemailerErrorLike, tracker: SessionTracker): boolean {
  return (
    error.code === 'ECONNECTION' && error.command === 'EHLO' && error.responseCode !== 421 && tracker.secure
  );
}

function codeAndPhase(error: NodemailerErrorLike, tracker: SessionTracker): [RecipientCode, DeliveryPhase] {
  // The phase of the command whose reply is missing: with pipelining, the step the client is in (the
  // last command sent, often DATA) is not where the conversation stopped.
  const step = tracker.awaited?.step ?? tracker.step;
  switch (error.code) {
    case 'ETLS':
      if (error.command === 'STARTTLS' && error.responseCode !== undefined) {
        return [tracker.starttlsAdvertised ? 'ESTARTTLSREFUSED' : 'ENOSTARTTLS', 'starttls'];
      }
      return ['EHANDSHAKE', 'handshake'];
    case 'ESOCKET':
      return socketCode(error.originalCode, step);
    case 'ETIMEDOUT':
      if (error.timeoutType === 'CONNECT_TIMEOUT') return ['ETIMEOUT', 'connect'];
      if (error.timeoutType === 'GREETING_TIMEOUT') return ['ETIMEOUT', 'greeting'];
      if (error.timeoutType === 'UPGRADE_TIMEOUT') return ['ETIMEOUT', 'handshake'];
      return ['ETIMEOUT', step];
    case 'ECONNECTION':
      // EHLO refused before TLS: no ESMTP means no STARTTLS (the EAST "hide EHLO" downgrade).
      if (error.command === 'EHLO' && error.responseCode !== 421 && !tracker.secure) {
        return ['ENOSTARTTLS', 'ehlo'];
      }
      // EHLO refused inside TLS: the server answers, it just will not serve this client.
      if (ehloRefusedInsideTls(error, tracker)) return ['EREJECTED', 'ehlo'];
      if (step === 'handshake') return ['EHANDSHAKE', 'handshake'];
      return ['ECONNECT', step];
    case 'EDNS':
      return ['ECONNECT', 'dns'];
    case 'EREQUIRETLS':
      return ['EREQUIRETLS', 'mail'];
    case 'EAUTH':
    case 'ENOAUTH':
      return ['EREJECTED', 'auth'];
    case 'EENVELOPE':
      return [
        'EREJECTED',
        error.command === 'MAIL FROM' ? 'mail' : error.command === 'DATA' ? 'data' : 'rcpt',
      ];
    case 'EMESSAGE':
      return ['EREJECTED', 'data'];
    default:
      return ['EPROTOCOL', step];
  }
}

/**
 * Turns a nodemailer error into a recipient code and phase. The one place that knows nodemailer's
 * error shapes (research: nodemailer.md §1.4): `ETLS`+`STARTTLS` is a refused or missing STARTTLS,
 * `ESOCKET` with an OpenSSL/Node `originalCode` is a handshake or certificate failure, `ETIMEDOUT`
 * carries a `timeoutType`, and the tracker fills in where the session was when nothing else says.
 */
export function classifyError(error: NodemailerErrorLike, tracker: SessionTracker): Refusal {
  const [code, phase] = codeAndPhase(error, tracker);
  // nodemailer's text for this case ("HELO does not support required STARTTLS") says something else.
  const detail = ehloRefusedInsideTls(error, tracker)
    ? `the server refused the EHLO after TLS with ${error.response ?? 'an error'}`
    : error.message;
  const response = typeof error.response === 'string' ? tracker.redact(error.response) : undefined;
  const awaited = tracker.awaited?.command;
  const command =
    error.command === 'CONN' ? awaited : (error.command ?? awaited ?? commandOf(tracker.lastCommand));
  return refusal(code, phase, `${ERROR_CODES[code].summary} (${phase}): ${tracker.redact(detail)}`, {
    command,
    response,
    responseCode: typeof error.responseCode === 'number' ? error.responseCode : undefined,
    // A reply is trusted only if it arrived over TLS; an error carries the last reply received.
    untrusted: response !== undefined && !tracker.lastResponseSecure,
  });
}
