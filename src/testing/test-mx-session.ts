import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { dispatchCommand, type TestMxSessionControl } from './test-mx-commands.js';
import type { ResolvedTestMxOptions } from './test-mx-options.js';
import type { TestMxRecorder } from './test-mx-recorder.js';
import type { TestMxPhase, TestMxReplyPoint } from './test-mx-types.js';
import { type TestMxTlsInfo, upgradeToTls } from './test-mx-upgrade.js';

type Mode = 'command' | 'data' | 'auth' | 'paused' | 'stalled' | 'closed';

/** One client connection of a test server: reads lines, logs them with their phase, answers. */
export class TestMxSession implements TestMxSessionControl {
  phase: TestMxPhase = 'plain';
  readonly envelope: { from: string | undefined; to: string[] } = { from: undefined, to: [] };
  private socket: Socket;
  private readonly sockets: Socket[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private mode: Mode = 'paused';
  private authLines = 0;
  private body: Buffer[] = [];
  private tlsInfo: TestMxTlsInfo = {};
  /** The reply being produced: the dribble option slows down the one it names. */
  private point: TestMxReplyPoint | undefined;
  private trickle: Buffer = Buffer.alloc(0);
  private trickleTimer: NodeJS.Timeout | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.drain();
  };

  constructor(
    readonly id: number,
    socket: Socket,
    readonly options: ResolvedTestMxOptions,
    readonly recorder: TestMxRecorder,
    private readonly secureContext: () => SecureContext,
  ) {
    this.socket = this.track(socket);
  }

  start(): void {
    if (this.options.raw.implicitTls) this.upgrade(() => this.greet());
    else this.greet();
  }

  destroy(): void {
    this.mode = 'closed';
    clearInterval(this.trickleTimer);
    for (const socket of this.sockets) socket.destroy();
  }

  send(raw: string): void {
    if (raw === '' || this.mode === 'closed' || this.socket.destroyed) return;
    const dribble = this.options.raw.dribble;
    if (this.trickleTimer === undefined && (dribble === undefined || dribble.at !== this.point)) {
      this.socket.write(raw);
      return;
    }
    // Dribbled (and everything queued behind it): one byte per tick, in order.
    this.trickle = Buffer.concat([this.trickle, Buffer.from(raw)]);
    this.trickleTimer ??= setInterval(() => {
      if (this.mode === 'closed' || this.socket.destroyed || this.trickle.length === 0) {
        clearInterval(this.trickleTimer);
        this.trickleTimer = undefined;
        return;
      }
      this.socket.write(this.trickle.subarray(0, 1));
      this.trickle = this.trickle.subarray(1);
    }, dribble?.everyMs ?? 1000);
  }

  /** Names the reply the next `send` produces (for `dribble`). */
  replying(point: TestMxReplyPoint | undefined): void {
    this.point = point;
  }

  stall(): void {
    this.mode = 'stalled';
  }

  close(afterSending?: string): void {
    if (afterSending !== undefined) this.send(afterSending);
    this.mode = 'closed';
    this.socket.end();
  }

  beginData(): void {
    this.mode = 'data';
    this.body = [];
  }

  beginAuth(lines: number): void {
    this.mode = 'auth';
    this.authLines = lines;
  }

  startTls(reply: string): void {
    // Bytes after STARTTLS were sent in plaintext: log them as such, then discard them (RFC 3207 §6).
    this.logRemainder();
    this.mode = 'paused';
    const plain = this.socket;
    plain.removeListener('data', this.onData);
    this.envelope.from = undefined;
    this.envelope.to = [];
    this.send(reply);
    switch (this.options.afterStarttls) {
      case 'handshake':
        this.upgrade(() => {
          this.mode = 'command';
          this.socket.on('data', this.onData);
        });
        return;
      case 'garbage':
        // Wait for the ClientHello, then answer it with cleartext instead of a ServerHello.
        plain.once('data', () => this.send('250 this is not a TLS ServerHello\r\n'));
        return;
      case 'close':
        plain.end();
        return;
      case 'stall':
        plain.resume();
        return;
    }
  }

  private greet(): void {
    if (this.options.raw.stallAt === 'greeting') {
      this.stall();
      return;
    }
    this.replying('greeting');
    this.send(this.options.greeting);
    if (this.options.raw.dropAfterGreeting) {
      this.close();
      return;
    }
    this.mode = 'command';
    this.socket.on('data', this.onData);
  }

  private track<T extends Socket>(socket: T): T {
    this.sockets.push(socket);
    socket.on('error', () => socket.destroy());
    socket.setTimeout(60_000, () => socket.destroy());
    return socket;
  }

  private upgrade(then: () => void): void {
    const onSecure = (info: TestMxTlsInfo): void => {
      this.tlsInfo = info;
      this.recorder.handshakes.push({ connection: this.id, ok: true, ...info });
      this.phase = 'tls';
      then(); // the caller attaches the data listener (greet() for implicit TLS): exactly one reader
    };
    const onFail = (error: string): void => {
      this.recorder.handshakes.push({ connection: this.id, ok: false, error });
    };
    const secure = this.track(upgradeToTls(this.socket, this.secureContext(), onSecure, onFail));
    this.socket = secure;
  }

  private logRemainder(): void {
    const rest = this.buffer.toString('utf8');
    this.buffer = Buffer.alloc(0);
    for (const line of rest.split(/\r?\n/)) if (line !== '') this.recorder.line(this.id, this.phase, line);
  }

  private drain(): void {
    while (this.mode === 'command' || this.mode === 'data' || this.mode === 'auth') {
      const end = this.buffer.indexOf(0x0a);
      if (end < 0) return;
      const bytes = this.buffer.subarray(0, end > 0 && this.buffer[end - 1] === 0x0d ? end - 1 : end);
      this.buffer = this.buffer.subarray(end + 1);
      this.handleLine(bytes);
    }
  }

  private handleLine(bytes: Buffer): void {
    const line = bytes.toString('utf8');
    if (this.mode === 'data') {
      this.dataLine(line, bytes);
      return;
    }
    this.recorder.line(this.id, this.phase, line);
    if (this.mode !== 'auth') {
      dispatchCommand(this, line);
      return;
    }
    // AUTH continuation lines: the server accepts whatever arrives; `*` cancels (RFC 4954).
    this.authLines = line.trim() === '*' ? 0 : this.authLines - 1;
    if (this.authLines > 0) {
      this.send('334 UGFzc3dvcmQ6\r\n');
      return;
    }
    this.mode = 'command';
    this.send(line.trim() === '*' ? '501 5.7.0 Authentication cancelled\r\n' : '235 2.7.0 Ok\r\n');
  }

  private dataLine(line: string, bytes: Buffer): void {
    this.recorder.line(this.id, this.phase, line, true);
    if (line !== '.') {
      this.body.push(bytes[0] === 0x2e ? bytes.subarray(1) : bytes, Buffer.from('\r\n'));
      return;
    }
    this.mode = 'command';
    this.replying('message');
    if (this.options.raw.stallAt === 'message') {
      this.stall();
      return;
    }
    const reply = this.options.raw.messageResponse ?? '250 2.0.0 Ok: queued\r\n';
    if (reply.startsWith('2')) this.recordMessage();
    this.send(reply);
  }

  private recordMessage(): void {
    this.recorder.message(
      this.id,
      this.envelope,
      Buffer.concat(this.body),
      this.phase === 'tls',
      this.tlsInfo,
    );
    this.envelope.from = undefined;
    this.envelope.to = [];
  }
}
