import { isTlsRefusalCode, type NodemailerCode, type RecipientCode } from '../../errors/codes.js';
import type { DeliveryPhase } from '../../errors/recipient-failure.js';

/** What decides nodemailer's code for a failure: the fields a `RecipientFailure` and a `Refusal` share. */
export interface FailureFacts {
  readonly code: RecipientCode;
  readonly phase: DeliveryPhase;
  readonly command?: string | undefined;
  readonly response?: string | undefined;
  readonly message: string;
}

/** nodemailer's `code`, `command` and (for a timeout) `timeoutType` for one failure. */
export interface NodemailerShape {
  /** nodemailer's code (`EAUTH`, `EENVELOPE`, …), `ETLSREQUIRED` for a TLS refusal, `EDELIVERY` when nodemailer has none. */
  readonly code: NodemailerCode | 'EPROTOCOL' | 'ETLSREQUIRED' | 'EDELIVERY';
  /** The command nodemailer names (`CONN` for connection-level failures, as nodemailer does). */
  readonly command?: string;
  /** nodemailer 10's `timeoutType` for `ETIMEDOUT`. */
  readonly timeoutType?: string;
}

const TIMEOUT_TYPES: Readonly<Partial<Record<DeliveryPhase, string>>> = {
  connect: 'CONNECT_TIMEOUT',
  greeting: 'GREETING_TIMEOUT',
  handshake: 'UPGRADE_TIMEOUT',
};

// nodemailer's text for a refused DATA command (before the message), which it reports as EENVELOPE;
// a refusal after the final dot is EMESSAGE. Every supported major (6.9 to 10) uses this text.
const DATA_COMMAND_FAILED = /\bData command failed\b/;

function rejected(facts: FailureFacts): NodemailerShape {
  switch (facts.phase) {
    case 'auth':
      return { code: 'EAUTH', command: facts.command ?? 'AUTH' };
    case 'mail':
      return { code: 'EENVELOPE', command: 'MAIL FROM' };
    case 'rcpt':
      return { code: 'EENVELOPE', command: 'RCPT TO' };
    case 'data':
      return { code: DATA_COMMAND_FAILED.test(facts.message) ? 'EENVELOPE' : 'EMESSAGE', command: 'DATA' };
    case 'ehlo':
      // nodemailer with requireTLS: "EHLO failed but HELO does not support required STARTTLS".
      return { code: 'ECONNECTION', command: 'EHLO' };
    default:
      return { code: 'EPROTOCOL', command: facts.command ?? 'CONN' };
  }
}

/**
 * The error nodemailer itself gives for a failure that is not about TLS (nodemailer.md §1.4, read in
 * every supported major): a refused AUTH is `EAUTH` with the AUTH command, a refused sender or
 * recipient `EENVELOPE`, a message refused after the final dot `EMESSAGE` (`DATA`), an unreachable
 * relay `ESOCKET` (`CONN`), a name that does not resolve `EDNS`, a connection closed later
 * `ECONNECTION`, a timeout `ETIMEDOUT` (`CONN`), an unexpected reply `EPROTOCOL`. A TLS refusal, which
 * the original transporter would not have made, is `ETLSREQUIRED`.
 *
 * @example
 * ```ts
 * nodemailerShape({ code: 'EREJECTED', phase: 'auth', command: 'AUTH PLAIN', message: '…' });
 * // { code: 'EAUTH', command: 'AUTH PLAIN' }
 * ```
 */
export function nodemailerShape(facts: FailureFacts): NodemailerShape {
  if (isTlsRefusalCode(facts.code)) return { code: 'ETLSREQUIRED' };
  switch (facts.code) {
    case 'EREJECTED':
      return rejected(facts);
    case 'ECONNECT':
      if (facts.phase === 'dns') return { code: 'EDNS', command: 'CONN' };
      if (facts.phase === 'connect') return { code: 'ESOCKET', command: 'CONN' };
      // A reply before the close (a 421) names its command, as nodemailer does; a bare close is `CONN`.
      return {
        code: 'ECONNECTION',
        command: facts.response === undefined ? 'CONN' : (facts.command ?? 'CONN'),
      };
    case 'ETIMEOUT':
      return {
        code: 'ETIMEDOUT',
        command: 'CONN',
        timeoutType: TIMEOUT_TYPES[facts.phase] ?? 'SOCKET_TIMEOUT',
      };
    case 'EPROTOCOL':
      return { code: 'EPROTOCOL', command: facts.command ?? 'CONN' };
    default:
      // ENOMX, ENULLMX, EDNSSEC: direct mode's, which no relay transaction gives.
      return { code: 'EDELIVERY' };
  }
}

/**
 * nodemailer's `permanent` for a reply code: every 5xx but 503 (its `isPermanentResponseCode`).
 *
 * @example
 * ```ts
 * isPermanentResponseCode(550); // true; 451 and 503: false
 * ```
 */
export function isPermanentResponseCode(responseCode: number): boolean {
  return responseCode >= 500 && responseCode < 600 && responseCode !== 503;
}
