import { connect, type Socket } from 'node:net';
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';

/** A deliberately dumb SMTP client for testing the test server itself: raw bytes in, raw bytes out. */
export class RawSmtpClient {
  received = '';
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(public socket: Socket) {
    this.listen(socket);
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawSmtpClient> {
    const socket = connect(port, host);
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawSmtpClient(socket);
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('utf8');
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits until `predicate(received)` holds, the socket closes, or `ms` pass; returns and clears `received`. */
  async until(predicate: (text: string) => boolean, ms = 2000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!predicate(this.received) && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const text = this.received;
    this.received = '';
    return text;
  }

  /** Reads one complete (possibly multi-line) reply. */
  reply(ms?: number): Promise<string> {
    return this.until((text) => /(^|\n)\d{3} [^\n]*\r\n$/.test(text), ms);
  }

  /** Collects whatever arrives within `ms`. */
  idle(ms: number): Promise<string> {
    return this.until(() => false, ms);
  }

  send(raw: string): void {
    this.socket.write(raw);
  }

  async command(line: string): Promise<string> {
    this.send(`${line}\r\n`);
    return this.reply();
  }

  /** Runs a TLS handshake over the connection; rejects with the handshake error. */
  async startTls(options: ConnectionOptions = {}): Promise<TLSSocket> {
    this.socket.removeAllListeners('data');
    this.received = '';
    const secure = tlsConnect({ socket: this.socket, ...options });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    secure.on('error', () => {});
    this.socket = secure;
    this.listen(secure);
    return secure;
  }

  close(): void {
    this.socket.destroy();
  }
}
