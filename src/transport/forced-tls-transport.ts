import { EventEmitter } from 'node:events';
import type { Transport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import { checkRecipientInput } from './address-input.js';
import type { ForcedTlsSentMessageInfo } from './outcome.js';
import { type PreparedMessage, prepareMessage } from './prepared-message.js';
import type { SessionPool } from './session/session-pool.js';
import type { DeliveryAttempt } from './types.js';

/** nodemailer's mail object, as its root module types it in every supported version (6.9 to 10). */
type MailMessage = Parameters<Transport<ForcedTlsSentMessageInfo>['send']>[0];

function isPool(pool: unknown): boolean {
  try {
    return (
      typeof (pool as SessionPool).isIdle === 'function' && typeof (pool as SessionPool).close === 'function'
    );
  } catch {
    return false;
  }
}

/** Delivers one prepared message and settles it. */
export type Deliver = (message: PreparedMessage) => Promise<ForcedTlsSentMessageInfo>;

const VERSION = '0.1.0';

/**
 * A nodemailer transport (`name`, `version`, `send`, `verify`, `close`, `isIdle`, events) around a
 * delivery function. Pass it to `nodemailer.createTransport()`.
 *
 * Events: `attempt` ({@link DeliveryAttempt}) after each SMTP session attempt, `idle` when a
 * connection slot frees up.
 */
export class ForcedTlsTransport extends EventEmitter {
  /** Transport name for nodemailer's logs: `forced-tls-relay` or `forced-tls-direct`. */
  readonly name: string;
  /** The forced-tls version, for nodemailer's logs. */
  readonly version = VERSION;
  /** Set by nodemailer's `Mail`. */
  mailer?: Mail<ForcedTlsSentMessageInfo> | undefined;
  readonly #deliver: Deliver;
  readonly #pool: SessionPool;
  readonly #verify: () => Promise<true>;

  constructor(name: string, deliver: Deliver, pool: SessionPool, verify: () => Promise<true>) {
    super();
    // Built by the factories; a hand-made instance with other parts would fail later with a TypeError.
    if (
      typeof name !== 'string' ||
      typeof deliver !== 'function' ||
      typeof verify !== 'function' ||
      !isPool(pool)
    ) {
      throw new ForcedTlsError(
        'EPOLICY',
        'ForcedTlsTransport is built by createDirectTransport or createRelayTransport',
        {
          path: 'transport',
        },
      );
    }
    this.name = name;
    this.#deliver = deliver;
    this.#pool = pool;
    this.#verify = verify;
  }

  /** Called by nodemailer for each message. */
  send(mail: MailMessage, callback: (error: Error | null, info?: ForcedTlsSentMessageInfo) => void): void {
    Promise.resolve()
      .then(() => {
        checkRecipientInput(mail.data);
        const message = prepareMessage(mail);
        if (message.to.length === 0) {
          throw new ForcedTlsError('EADDRESS', 'The message has no recipients', { path: 'to' });
        }
        return this.#deliver(message);
      })
      .then(
        (info) => callback(null, info),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
  }

  /** Checks the configuration (relay mode: connects, proves TLS and authenticates). */
  verify(callback?: (error: Error | null, ok?: true) => void): Promise<true> | undefined {
    if (callback !== undefined && typeof callback !== 'function') {
      throw new ForcedTlsError('EPOLICY', 'verify(callback): callback must be a function', {
        path: 'callback',
      });
    }
    const result = this.#verify();
    if (!callback) return result;
    result.then(
      (ok) => callback(null, ok),
      (error: unknown) => callback(error as Error),
    );
    return undefined;
  }

  /** True when a message can start without waiting for a connection slot. */
  isIdle(): boolean {
    return this.#pool.isIdle();
  }

  /** Closes idle connections; busy ones close after their message. */
  close(): void {
    this.#pool.close();
  }

  /**
   * @internal Emits an attempt to the optional callback and to `attempt` listeners. A listener's failure —
   * a throw or a rejected promise — never changes the delivery, never skips the other listeners and never
   * becomes an unhandled rejection.
   */
  reportAttempt(attempt: DeliveryAttempt, callback?: (attempt: DeliveryAttempt) => unknown): void {
    const listeners: ((attempt: DeliveryAttempt) => unknown)[] = callback ? [callback] : [];
    listeners.push(...(this.listeners('attempt') as ((attempt: DeliveryAttempt) => unknown)[]));
    for (const listener of listeners) {
      try {
        const result = listener.call(this, attempt);
        if (result instanceof Promise || typeof (result as PromiseLike<unknown>)?.then === 'function') {
          (result as PromiseLike<unknown>).then(undefined, () => {});
        }
      } catch {
        // ignored: see above
      }
    }
  }
}
