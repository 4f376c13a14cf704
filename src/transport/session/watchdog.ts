import { ERROR_CODES } from '../../errors/codes.js';
import { type Refusal, refusal } from '../refusal.js';
import type { Timeouts } from '../types.js';
import type { AwaitedReply, SessionStep } from './session-tracker.js';

/**
 * The deadline of one SMTP connection, for its whole life: connect, greeting and TLS handshake each
 * within their limit, and every reply within `reply` counted from the moment the client began waiting
 * for it — when the command was sent, or, for pipelined commands, when the reply before it arrived.
 * A byte that arrives does not extend it, so a server that dribbles its reply cannot hold a send.
 * When it fires it calls the handler with the step that ran out of time.
 */
export class Watchdog {
  #timer: NodeJS.Timeout | undefined;
  #onFire: (step: SessionStep) => void = () => {};
  #stopped = false;
  readonly #timeouts: Timeouts;
  readonly #implicitTls: boolean;

  constructor(timeouts: Timeouts, implicitTls: boolean) {
    this.#timeouts = timeouts;
    this.#implicitTls = implicitTls;
  }

  /** Who is told when a deadline passes (the opener first, then the open session). */
  set onFire(handler: (step: SessionStep) => void) {
    this.#onFire = handler;
  }

  /** A step without a command: connecting, waiting for the greeting, the TLS handshake. */
  step(step: SessionStep): void {
    const t = this.#timeouts;
    if (step === 'connect') this.#arm(step, this.#implicitTls ? t.connect + t.tls : t.connect);
    else if (step === 'greeting') this.#arm(step, t.greeting);
    else if (step === 'handshake') this.#arm(step, t.tls);
  }

  /** The client now waits for the reply to `awaited` (or for nothing: disarmed). */
  reply(awaited: AwaitedReply | undefined): void {
    if (awaited === undefined) this.#disarm();
    else this.#arm(awaited.step, this.#timeouts.reply);
  }

  /** No more deadlines: the connection is closed. */
  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #arm(step: SessionStep, ms: number): void {
    this.#disarm();
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onFire(step);
    }, ms);
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** A deadline passed: `ETIMEOUT` at the step whose reply (or handshake, or greeting) did not come in time. */
export function timeoutRefusal(step: SessionStep): Refusal {
  return refusal('ETIMEOUT', step, `${ERROR_CODES.ETIMEOUT.summary} (${step})`);
}
