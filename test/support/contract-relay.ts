import { createServer, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { defaultTestCa } from '../../src/testing/index.js';

/** The name the relay's certificate carries (from the default test CA). */
export const RELAY_NAME = 'relay.kanzlei.test';

/** How the relay answers; every refusal is an `smtp-server` error with that reply code. */
export interface ContractRelayBehaviour {
  /** Refuse every AUTH with this reply code (e.g. 535). */
  readonly authCode?: number;
  /** Refuse the sender with this reply code. */
  readonly mailCode?: number;
  /** Refuse a recipient: its reply code and text, or `undefined` to accept it. */
  readonly rcpt?: (address: string) => { code: number; text: string } | undefined;
  /** Refuse the message after the final dot with this reply code. */
  readonly dataCode?: number;
  /** Offer no STARTTLS at all. */
  readonly noStarttls?: boolean;
}

/** One command the relay handled, and whether it arrived over TLS. */
export interface SeenCommand {
  readonly command: 'AUTH' | 'MAIL' | 'RCPT' | 'DATA';
  readonly secure: boolean;
}

/** A real `smtp-server` relay on 127.0.0.1 that logs each command with its TLS state. */
export interface ContractRelay {
  readonly port: number;
  readonly seen: SeenCommand[];
  close(): Promise<void>;
}

const refuse = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/** Starts an `smtp-server` relay (STARTTLS, AUTH after TLS) that refuses what `behaviour` says. */
export async function startContractRelay(behaviour: ContractRelayBehaviour = {}): Promise<ContractRelay> {
  const { key, cert } = defaultTestCa().issue({ names: [RELAY_NAME] });
  const seen: SeenCommand[] = [];
  const options: SMTPServerOptions = {
    key,
    cert,
    minVersion: 'TLSv1.2',
    logger: false,
    disableReverseLookup: true,
    ...(behaviour.noStarttls ? { disabledCommands: ['STARTTLS'], allowInsecureAuth: true } : {}),
    onAuth(_auth, session, callback) {
      seen.push({ command: 'AUTH', secure: session.secure });
      if (behaviour.authCode !== undefined)
        return callback(refuse(behaviour.authCode, 'Authentication failed'));
      callback(null, { user: 'kanzlei' });
    },
    onMailFrom(_address, session, callback) {
      seen.push({ command: 'MAIL', secure: session.secure });
      if (behaviour.mailCode !== undefined) return callback(refuse(behaviour.mailCode, 'Sender rejected'));
      callback();
    },
    onRcptTo(address, session, callback) {
      seen.push({ command: 'RCPT', secure: session.secure });
      const refusal = behaviour.rcpt?.(address.address);
      callback(refusal === undefined ? undefined : refuse(refusal.code, refusal.text));
    },
    onData(stream, session, callback) {
      seen.push({ command: 'DATA', secure: session.secure });
      stream.resume();
      stream.on('end', () =>
        callback(behaviour.dataCode === undefined ? null : refuse(behaviour.dataCode, 'Message rejected')),
      );
    },
  };
  const server = new SMTPServer(options);
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server on 127.0.0.1 that accepts connections and never says anything (no greeting). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
