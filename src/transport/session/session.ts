import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Refusal } from '../refusal.js';
import type { AchievedTls } from '../types.js';
import { classifyError, type NodemailerErrorLike } from './classify-error.js';
import type { SessionStep, SessionTracker } from './session-tracker.js';
import { timeoutRefusal, type Watchdog } from './watchdog.js';

/** The envelope of one SMTP transaction. */
export interface TransactionEnvelope {
  readonly from: string;
  readonly to: readonly string[];
  readonly dsn?: SMTPConnection.DSNOptions;
  readonly use8BitMime?: boolean;
  readonly requireTls?: boolean;
}

/** What the server said to one transaction (nodemailer's send info). */
export type TransactionInfo = SMTPConnection.SentMessageInfo;

/** A transaction that failed as a whole: the nodemailer error, what it means, and whether the message may have arrived. */
export class TransactionError extends Error {
  readonly classified: Refusal;
  readonly original: NodemailerErrorLike;
  /** The final dot was sent: the server may have the message, so no other host may be tried. */
  readonly finalDotSent: boolean;
  constructor(original: NodemailerErrorLike, classified: Refusal, finalDotSent: boolean) {
    super(classified.message, { cause: original });
    this.original = original;
    this.classified = classified;
    this.finalDotSent = finalDotSent;
  }
}

/**
 * An open SMTP session whose TLS was checked against its requirement (see `openSession`). It can run
 * several transactions one after another; the pool reuses it for the same host and requirement.
 */
export class Session {
  readonly key: string;
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly evidence: AchievedTls | undefined;
  /** Whether the plaintext EHLO listed STARTTLS (for reporting a `may` session that stayed plain). */
  readonly starttlsAdvertised: boolean;
  transactions = 0;
  #closed = false;
  readonly #conn: SMTPConnection;
  readonly #tracker: SessionTracker;
  readonly #onClose = new Set<() => void>();
  readonly #watchdog: Watchdog;
  /** What to do when the watchdog fires while a command is in flight. */
  #onTimeout: ((step: SessionStep) => void) | undefined;

  constructor(
    init: {
      key: string;
      host: string;
      address: string;
      port: number;
      evidence: AchievedTls | undefined;
      starttlsAdvertised: boolean;
    },
    conn: SMTPConnection,
    tracker: SessionTracker,
    watchdog: Watchdog,
  ) {
    this.key = init.key;
    this.host = init.host;
    this.address = init.address;
    this.port = init.port;
    this.evidence = init.evidence;
    this.starttlsAdvertised = init.starttlsAdvertised;
    this.#conn = conn;
    this.#tracker = tracker;
    this.#watchdog = watchdog;
    // A reply that did not come in time ends the session: what was waiting for it fails at that step.
    watchdog.onFire = (step) => {
      const onTimeout = this.#onTimeout;
      this.#onTimeout = undefined;
      // The waiting command fails first, with the timeout: closing the connection reports a close.
      onTimeout?.(step);
      this.#destroy();
    };
    conn.on('end', () => this.#markClosed());
  }

  /** A server's text from this session with the client's credentials removed, as every surfaced reply must be. */
  redact(text: string): string {
    return this.#tracker.redact(text);
  }

  /** False once the connection ended (either side). */
  get open(): boolean {
    return !this.#closed && !this.#conn.destroyed;
  }

  /** Registers a listener for the end of the connection. */
  onClose(listener: () => void): void {
    this.#onClose.add(listener);
  }

  /** Runs one transaction. Per-recipient rejections resolve; a failure of the whole transaction rejects. */
  send(envelope: TransactionEnvelope, message: Buffer): Promise<TransactionInfo> {
    this.transactions++;
    const smtpEnvelope: SMTPConnection.Envelope = {
      from: envelope.from,
      to: [...envelope.to],
      ...(envelope.dsn ? { dsn: envelope.dsn } : {}),
      ...(envelope.use8BitMime ? { use8BitMime: true } : {}),
      ...(envelope.requireTls ? { requireTLSExtensionEnabled: true } : {}),
    };
    return new Promise((resolve, reject) => {
      let done = false;
      this.#onTimeout = (step) => {
        done = true;
        const original = Object.assign(new Error(`no reply within ${step}`), { code: 'ETIMEDOUT' });
        reject(new TransactionError(original, timeoutRefusal(step), this.#tracker.finalDotSent));
      };
      this.#conn.send(smtpEnvelope, message, (error, info) => {
        if (done) return;
        done = true;
        this.#onTimeout = undefined;
        const tracker = this.#tracker;
        if (error) reject(new TransactionError(error, classifyError(error, tracker), tracker.finalDotSent));
        else resolve(info);
      });
    });
  }

  /** RSET, so the session can take the next transaction after a failed one. */
  reset(): Promise<boolean> {
    return new Promise((resolve) => {
      if (!this.open) return resolve(false);
      this.#onTimeout = () => resolve(false);
      this.#conn.reset((error) => {
        this.#onTimeout = undefined;
        resolve(!error);
      });
    });
  }

  /** Ends the session politely (QUIT), or at once when it is already broken. */
  close(): void {
    if (this.#closed) return;
    this.#watchdog.stop();
    if (this.open) this.#conn.quit();
    this.#markClosed();
  }

  #destroy(): void {
    this.#watchdog.stop();
    this.#conn.close();
    this.#markClosed();
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#watchdog.stop();
    this.#closed = true;
    for (const listener of this.#onClose) listener();
    this.#onClose.clear();
  }
}
