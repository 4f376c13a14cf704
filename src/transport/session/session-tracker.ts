import type { DeliveryPhase } from '../../errors/recipient-failure.js';
import { redactReply } from './redact.js';

/** Where an SMTP session is, as far as the client can tell. */
export type SessionStep = Extract<
  DeliveryPhase,
  'connect' | 'greeting' | 'ehlo' | 'starttls' | 'handshake' | 'auth' | 'mail' | 'rcpt' | 'data'
>;

/** A command whose reply the client is waiting for. */
export interface AwaitedReply {
  /** The phase the command belongs to. */
  readonly step: SessionStep;
  /** The command (`MAIL FROM`, `RCPT TO`, `DATA` — also for the final dot). */
  readonly command: string | undefined;
}

type LogEntry = { readonly tnx?: string } | undefined;
type LogFn = (entry: LogEntry, message?: unknown, ...args: unknown[]) => void;

const STEP_OF_VERB: Readonly<Record<string, SessionStep>> = {
  EHLO: 'ehlo',
  LHLO: 'ehlo',
  HELO: 'ehlo',
  STARTTLS: 'starttls',
  AUTH: 'auth',
  MAIL: 'mail',
  RCPT: 'rcpt',
  DATA: 'data',
};

/** `MAIL FROM`, `RCPT TO` or the upper-cased verb of a command line; `undefined` for a masked secret. */
export function commandOf(line: string | undefined): string | undefined {
  if (line === undefined) return undefined;
  const verb = /^(MAIL FROM|RCPT TO|[A-Za-z]+)/i.exec(line)?.[0];
  return verb?.toUpperCase();
}

/**
 * Follows one nodemailer `SMTPConnection` through its transaction log (passed as its `logger` with
 * `transactionLog: true`; message bodies are never logged that way). It knows the step the session is
 * in, the last command and reply, whether that reply arrived over TLS, which commands still wait for a
 * reply — oldest first, as nodemailer pipelines MAIL, RCPT and DATA — and whether the final dot of the
 * message was sent: the facts an error needs to say *where* a delivery stopped, whether the server's
 * words can be trusted, and whether the message may have arrived.
 */
export class SessionTracker {
  step: SessionStep = 'connect';
  secure: boolean;
  lastCommand: string | undefined;
  lastResponse: string | undefined;
  /** Whether {@link lastResponse} was received over TLS. */
  lastResponseSecure = false;
  /** The plaintext EHLO reply (before TLS). */
  plaintextEhlo: string | undefined;
  /** The final dot of the current transaction's message was sent: from here it may have arrived. */
  finalDotSent = false;
  /** The credentials this client sends, in their wire forms: never surfaced in a reply (`redact`). */
  credentials: readonly string[] = [];
  readonly #pending: AwaitedReply[] = [];
  readonly #onStep: (step: SessionStep) => void;
  readonly #onAwait: (awaited: AwaitedReply | undefined) => void;

  constructor(
    implicitTls: boolean,
    onStep: (step: SessionStep) => void = () => {},
    onAwait: (awaited: AwaitedReply | undefined) => void = () => {},
  ) {
    this.secure = implicitTls;
    this.#onStep = onStep;
    this.#onAwait = onAwait;
  }

  /** True when the plaintext EHLO reply listed STARTTLS. */
  get starttlsAdvertised(): boolean {
    return this.plaintextEhlo !== undefined && /[ -]STARTTLS\b/im.test(this.plaintextEhlo);
  }

  /** A server's text with this session's credentials removed (see `redactReply`). */
  redact(text: string): string {
    return redactReply(text, this.credentials);
  }

  /** The oldest command still waiting for its reply: the one a failure now concerns. */
  get awaited(): AwaitedReply | undefined {
    return this.#pending[0];
  }

  /** A bunyan-style logger for nodemailer's `logger` option. */
  logger(): Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', LogFn> {
    const log: LogFn = (entry, message) =>
      this.#observe(entry?.tnx, typeof message === 'string' ? message : '');
    return { trace: log, debug: log, info: log, warn: log, error: log, fatal: log };
  }

  #move(step: SessionStep): void {
    if (step === this.step) return;
    this.step = step;
    this.#onStep(step);
  }

  #await(reply: AwaitedReply): void {
    this.#pending.push(reply);
    if (this.#pending.length === 1) this.#onAwait(reply);
  }

  #observe(tnx: string | undefined, message: string): void {
    if (tnx === 'client') {
      this.lastCommand = message;
      const command = commandOf(message);
      const step = STEP_OF_VERB[command?.split(' ')[0] ?? ''];
      if (step === 'mail') this.finalDotSent = false;
      if (step !== undefined) this.#move(step);
      // A masked line (an AUTH continuation) belongs to the command before it.
      this.#await({ step: this.step, command: command ?? this.#pending.at(-1)?.command });
    } else if (tnx === 'server') {
      this.lastResponse = message;
      this.lastResponseSecure = this.secure;
      if (this.step === 'ehlo' && !this.secure && /^2/.test(message)) this.plaintextEhlo = message;
      // Each complete reply answers the oldest command; the wait for the next one starts now.
      if (this.#pending.shift() !== undefined) this.#onAwait(this.#pending[0]);
      if (this.step === 'starttls' && /^2/.test(message)) this.#move('handshake');
    } else if (tnx === 'network' && message.includes('established')) {
      this.#move('greeting');
    } else if (tnx === 'smtp' && message.startsWith('Connection upgraded')) {
      this.secure = true;
    } else if (tnx === 'message' && message.startsWith('<')) {
      // nodemailer logs the end of the message stream, which ends with the final dot.
      this.finalDotSent = true;
      this.#await({ step: 'data', command: 'DATA' });
    }
  }
}
