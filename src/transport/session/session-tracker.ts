import type { DeliveryPhase } from '../../errors/recipient-failure.js';

/** Where an SMTP session is, as far as the client can tell. */
export type SessionStep = Extract<
  DeliveryPhase,
  'connect' | 'greeting' | 'ehlo' | 'starttls' | 'handshake' | 'auth' | 'mail' | 'rcpt' | 'data'
>;

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

/**
 * Follows one nodemailer `SMTPConnection` through its transaction log (passed as its `logger` with
 * `transactionLog: true`; message bodies are never logged that way). It knows the step the session is
 * in, the last command and reply, and whether that reply arrived over TLS: the facts an error needs
 * to say *where* a delivery stopped and whether the server's words can be trusted.
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
  readonly #onStep: (step: SessionStep) => void;

  constructor(implicitTls: boolean, onStep: (step: SessionStep) => void = () => {}) {
    this.secure = implicitTls;
    this.#onStep = onStep;
  }

  /** True when the plaintext EHLO reply listed STARTTLS. */
  get starttlsAdvertised(): boolean {
    return this.plaintextEhlo !== undefined && /[ -]STARTTLS\b/im.test(this.plaintextEhlo);
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

  #observe(tnx: string | undefined, message: string): void {
    if (tnx === 'client') {
      this.lastCommand = message;
      const verb = /^[A-Za-z]+/.exec(message)?.[0]?.toUpperCase() ?? '';
      const step = STEP_OF_VERB[verb];
      if (step !== undefined) this.#move(step);
    } else if (tnx === 'server') {
      this.lastResponse = message;
      this.lastResponseSecure = this.secure;
      if (this.step === 'ehlo' && !this.secure && /^2/.test(message)) this.plaintextEhlo = message;
      if (this.step === 'starttls' && /^2/.test(message)) this.#move('handshake');
    } else if (tnx === 'network' && message.includes('established')) {
      this.#move('greeting');
    } else if (tnx === 'smtp' && message.startsWith('Connection upgraded')) {
      this.secure = true;
    }
  }
}
