// A raw TCP client for the protocol tests: sends exact bytes, collects what comes back.
import { connect, type Socket } from 'node:net';
import { encodeNetstring, NetstringDecoder } from '../../src/postfix/netstring.js';

export interface RawClient {
  readonly socket: Socket;
  send(bytes: string | Buffer): void;
  /** Resolves once `count` netstrings have arrived (all so far), or rejects after `ms`. */
  netstrings(count: number, ms?: number): Promise<string[]>;
  /** Resolves once the received text contains `count` empty-line-terminated replies. */
  replies(count: number, ms?: number): Promise<string[]>;
  /** Resolves when the server closed the connection. */
  closed(ms?: number): Promise<void>;
  readonly isClosed: boolean;
  end(): void;
}

export async function rawClient(port: number): Promise<RawClient> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const decoder = new NetstringDecoder(200_000);
  const strings: string[] = [];
  let text = '';
  let closed = false;
  const waiters = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const p of decoder.push(chunk).payloads) strings.push(p.toString('utf8'));
    for (const w of waiters) w();
  });
  socket.on('close', () => {
    closed = true;
    for (const w of waiters) w();
  });
  const until = <T>(ready: () => T | undefined, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (value === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${what} not within ${ms} ms; got ${JSON.stringify(text)}`));
      }, ms);
      waiters.add(check);
      check();
    });
  return {
    socket,
    send: (bytes) => socket.write(bytes),
    netstrings: (count, ms = 3000) =>
      until(() => (strings.length >= count ? [...strings] : undefined), ms, `${count} netstrings`),
    replies: (count, ms = 3000) =>
      until(
        () => {
          const parts = text.split('\n\n').slice(0, -1);
          return parts.length >= count ? parts : undefined;
        },
        ms,
        `${count} replies`,
      ),
    closed: (ms = 3000) => until(() => (closed ? true : undefined), ms, 'close').then(() => undefined),
    get isClosed() {
      return closed;
    },
    end: () => socket.destroy(),
  };
}

/** A socketmap request netstring. */
export const request = (map: string, key: string): Buffer => encodeNetstring(`${map} ${key}`);
