import type { X509Certificate } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { peerCertificateChain } from '../../src/dane/index.js';

/** A minimal SMTP client for tests: reads replies, sends commands, upgrades with STARTTLS. */
export interface SmtpTestClient {
  /** Sends `line` (CRLF added) and reads the complete reply. */
  command(line: string): Promise<string>;
  /** Whether the last EHLO reply listed STARTTLS. */
  readonly starttls: boolean;
  /** STARTTLS and the handshake (no certificate verification: DANE decides); the peer chain. */
  upgrade(servername: string): Promise<X509Certificate[]>;
  /** Sends QUIT (ignoring the reply) and closes. */
  quit(): Promise<void>;
}

const FINAL_LINE = /(^|\r\n)\d{3} [^\r\n]*\r\n/;

function replyReader(socket: Socket | TLSSocket): () => Promise<string> {
  let buffer = '';
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  return async () => {
    for (;;) {
      const match = FINAL_LINE.exec(buffer);
      if (match !== null) {
        const reply = buffer.slice(0, match.index + match[0].length);
        buffer = buffer.slice(reply.length);
        return reply;
      }
      if (closed) throw new Error('connection closed');
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
}

/** Connects to a test MX, reads the greeting and sends EHLO. */
export async function smtpConnect(port: number, host = '127.0.0.1'): Promise<SmtpTestClient> {
  const plain = connect({ host, port });
  let socket: Socket | TLSSocket = plain;
  let read = replyReader(plain);
  let ehlo = '';
  const command = async (line: string) => {
    socket.write(`${line}\r\n`);
    const reply = await read();
    if (/^EHLO /i.test(line)) ehlo = reply;
    return reply;
  };
  await read();
  await command('EHLO client.kanzlei.test');
  return {
    command,
    get starttls() {
      return /^250[- ]STARTTLS\r?$/im.test(ehlo);
    },
    async upgrade(servername) {
      const reply = await command('STARTTLS');
      if (!reply.startsWith('220')) throw new Error(`STARTTLS refused: ${reply}`);
      plain.removeAllListeners('data');
      const secure = tlsConnect({ socket: plain, servername, rejectUnauthorized: false });
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', resolve);
        secure.once('error', reject);
      });
      socket = secure;
      read = replyReader(secure);
      await command('EHLO client.kanzlei.test');
      return peerCertificateChain(secure);
    },
    async quit() {
      socket.write('QUIT\r\n');
      socket.end();
      socket.destroy();
    },
  };
}
