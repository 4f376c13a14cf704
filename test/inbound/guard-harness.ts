// A real smtp-server with the guard on 127.0.0.1:0, recording what the host saw.
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createInboundGuard } from '../../src/inbound/create-inbound-guard.js';
import type { InboundGuardOptions, InboundReport } from '../../src/inbound/guard-types.js';
import { createPolicy } from '../../src/policy/policy.js';
import { createTestCa } from '../../src/testing/test-ca.js';

export const ca = createTestCa();
export const leaf = ca.issue({ names: ['mx.kanzlei.test'] });

export const policy = createPolicy({
  inbound: {
    rules: [
      { match: 'bank.test', level: 'encrypt' },
      { match: 'ceo@holding.test', level: 'encrypt' },
      { match: '*.insurer.test', level: 'encrypt' },
      { match: 'müller-steuer.test', level: 'encrypt' },
      { match: 'modern.test', level: 'encrypt', minVersion: 'TLSv1.3' },
    ],
  },
});

export interface Harness {
  readonly port: number;
  readonly reports: InboundReport[];
  /** Senders the host's own onMailFrom saw. */
  readonly hostMailFrom: string[];
  /** Sessions the host's own onSecure saw. */
  readonly hostSecure: string[];
  /** Messages that reached onData. */
  readonly stored: { from: string; body: string }[];
  readonly serverErrors: Error[];
  /** The SMTPServer instance. */
  readonly server: SMTPServer;
  close(): Promise<void>;
}

export async function startGuardedServer(
  guardOptions: Partial<InboundGuardOptions> = {},
  serverOptions: SMTPServerOptions = {},
): Promise<Harness> {
  const reports: InboundReport[] = [];
  const hostMailFrom: string[] = [];
  const hostSecure: string[] = [];
  const stored: { from: string; body: string }[] = [];
  const serverErrors: Error[] = [];
  const guard = createInboundGuard({ policy, onDecision: (r) => void reports.push(r), ...guardOptions });
  const options: SMTPServerOptions = {
    key: leaf.key,
    cert: leaf.cert,
    minVersion: 'TLSv1.2',
    authOptional: true,
    logger: false,
    onSecure(_socket, session, callback) {
      hostSecure.push(session.id);
      callback();
    },
    onMailFrom(address, _session, callback) {
      hostMailFrom.push(address.address);
      if (address.address === 'blocked@other.test') return callback(new Error('host says no'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        stored.push({ from, body: Buffer.concat(chunks).toString() });
        callback();
      });
    },
    ...serverOptions,
  };
  const server = new SMTPServer(guard.wrap(options));
  server.on('error', (error) => serverErrors.push(error));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    reports,
    hostMailFrom,
    hostSecure,
    stored,
    serverErrors,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The fields of a nodemailer error the tests read. */
export interface SendError {
  readonly code?: string;
  readonly command?: string;
  readonly response?: string;
  readonly responseCode?: number;
}

export type ClientTls = 'plaintext' | 'tls' | 'tls1.1' | 'tls1.2' | 'implicit';

/** Sends one message with nodemailer; resolves with the info or the error. */
export async function send(
  port: number,
  from: string,
  mode: ClientTls,
): Promise<{ ok: boolean; error?: SendError }> {
  const base = { host: '127.0.0.1', port, secure: false, connectionTimeout: 5000, socketTimeout: 5000 };
  const tls = { ca: ca.cert, servername: 'mx.kanzlei.test' };
  const options =
    mode === 'plaintext'
      ? { ...base, ignoreTLS: true }
      : mode === 'tls'
        ? { ...base, requireTLS: true, tls }
        : mode === 'implicit'
          ? { ...base, secure: true, tls }
          : mode === 'tls1.2'
            ? { ...base, requireTLS: true, tls: { ...tls, maxVersion: 'TLSv1.2' as const } }
            : {
                ...base,
                requireTLS: true,
                tls: {
                  ...tls,
                  minVersion: 'TLSv1' as const,
                  maxVersion: 'TLSv1.1' as const,
                  ciphers: 'DEFAULT@SECLEVEL=0',
                },
              };
  const transport = nodemailer.createTransport(options);
  try {
    await transport.sendMail({
      envelope: { from, to: 'info@kanzlei.test' },
      from: 'sender@example.test',
      to: 'info@kanzlei.test',
      subject: 'Police',
      text: 'confidential',
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error as SendError };
  } finally {
    transport.close();
  }
}
