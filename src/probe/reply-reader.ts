import type { Socket } from 'node:net';
import { ProbeStop } from './probe-stop.js';
import type { ProbePhase } from './types.js';

/** One SMTP reply: its code and its text lines (without the code). */
export interface SmtpReply {
  readonly code: number;
  readonly lines: readonly string[];
  /** The reply as received, lines joined with `\n`. */
  readonly raw: string;
}

const MAX_BUFFER = 64 * 1024;
const REPLY_LINE = /^(\d{3})(?:([ -])(.*))?$/;

/** Reads SMTP replies from a socket, one at a time, each within a timeout. */
export class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private waiter: (() => void) | undefined;
  private ended: string | undefined;
  private socket: Socket | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffer += chunk.toString('utf8');
    this.wake();
  };
  private readonly onEnd = (): void => {
    this.ended ??= 'connection closed by the server';
    this.wake();
  };

  attach(socket: Socket): void {
    this.socket = socket;
    this.ended = undefined;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
  }

  /** Stops reading and discards everything buffered; returns how many bytes were dropped. */
  detach(): number {
    this.socket?.off('data', this.onData);
    this.socket?.off('end', this.onEnd);
    this.socket?.off('close', this.onEnd);
    this.socket = undefined;
    const dropped =
      Buffer.byteLength(this.buffer) + this.lines.reduce((n, l) => n + Buffer.byteLength(l) + 2, 0);
    this.buffer = '';
    this.lines = [];
    return dropped;
  }

  /** Waits for the next complete reply; rejects with a {@link ProbeStop} on timeout, close or garbage. */
  async read(timeoutMs: number, phase: ProbePhase): Promise<SmtpReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.take(phase);
      if (reply !== undefined) return reply;
      if (this.ended !== undefined) throw new ProbeStop('protocol_error', 'ECONNRESET', this.ended, phase);
      const left = deadline - Date.now();
      if (left <= 0) throw new ProbeStop('timeout', 'ETIMEDOUT', `no reply within ${timeoutMs} ms`, phase);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  private take(phase: ProbePhase): SmtpReply | undefined {
    let end = this.buffer.indexOf('\n');
    while (end >= 0) {
      this.lines.push(this.buffer.slice(0, end).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(end + 1);
      end = this.buffer.indexOf('\n');
    }
    if (this.buffer.length > MAX_BUFFER || this.lines.length > 512) {
      throw new ProbeStop('protocol_error', 'EPROTOCOL', 'reply too long', phase);
    }
    for (let i = 0; i < this.lines.length; i++) {
      const match = REPLY_LINE.exec(this.lines[i]!);
      if (match === null || match[1] !== REPLY_LINE.exec(this.lines[0]!)?.[1]) {
        throw new ProbeStop(
          'protocol_error',
          'EPROTOCOL',
          `malformed reply line ${JSON.stringify(this.lines[i])}`,
          phase,
        );
      }
      if (match[2] === '-') continue;
      const taken = this.lines.splice(0, i + 1);
      return {
        code: Number(match[1]),
        lines: taken.map((l) => REPLY_LINE.exec(l)?.[3] ?? ''),
        raw: taken.join('\n'),
      };
    }
    return undefined;
  }
}
