// A minimal SMTP client on a raw socket, for byte-exact and hostile client behaviour.
import net from 'node:net';
import tls from 'node:tls';

export class RawClient {
  #socket: net.Socket;
  #buffer = '';
  #wake: (() => void) | undefined;
  #closed = false;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    this.#listen(socket);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  #listen(socket: net.Socket): void {
    const onData = (chunk: Buffer) => {
      this.#buffer += chunk.toString('latin1');
      this.#wake?.();
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
    this.#stop = () => socket.off('data', onData);
  }

  #stop: () => void = () => undefined;

  write(text: string | Buffer): void {
    this.#socket.write(text);
  }

  /** Resolves with the next complete (possibly multi-line) reply, or '' when the server closed. */
  async reply(timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/.exec(this.#buffer);
      if (match) {
        this.#buffer = this.#buffer.slice(match[0].length);
        return match[0].trimEnd();
      }
      if (this.#closed) return '';
      if (Date.now() > deadline) throw new Error(`no reply; buffered ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** Completes a TLS handshake on the connection (after the server's 220 to STARTTLS). */
  startTls(options: tls.ConnectionOptions): Promise<void> {
    this.#stop();
    this.#buffer = '';
    return new Promise((resolve, reject) => {
      const secure = tls.connect({ ...options, socket: this.#socket }, () => resolve());
      secure.once('error', reject);
      this.#socket = secure;
      this.#listen(secure);
    });
  }

  close(): void {
    this.#socket.destroy();
  }
}
