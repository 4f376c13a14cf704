/**
 * Inbound enforcement in one file: an smtp-server on 127.0.0.1 that accepts mail from bank.test only
 * over TLS. One message arrives in plaintext (refused with 530 before DATA), one over TLS (accepted).
 * Run it with `npx tsx examples/inbound-server.ts`; it exits by itself. Nothing leaves 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { createPolicy } from 'forced-tls';
import { checkServerOptions, createInboundGuard } from 'forced-tls/inbound';
import { createTestCa } from 'forced-tls/testing';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

const ca = createTestCa(); // a real certificate for the example; use your own in production
const { key, cert } = ca.issue({ names: ['mx.kanzlei.test'] });
const policy = createPolicy({ inbound: { rules: [{ match: 'bank.test', level: 'encrypt' }] } });

const guard = createInboundGuard({
  policy,
  onDecision: (r) =>
    console.log(`${r.outcome} ${r.sender} from ${r.remoteAddress}: ${r.reason}, tls=${r.protocol}`),
});
// Your own onSecure/onMailFrom/onClose would keep running after the guard's check.
const options = guard.wrap({
  key,
  cert,
  minVersion: 'TLSv1.2',
  authOptional: true,
  onData(stream, _session, callback) {
    stream.on('end', () => callback()).resume(); // store the message here
  },
});
const server = new SMTPServer(options);
server.on('error', (error) => console.warn('server error:', error.message));
console.log('settings warnings:', checkServerOptions(options, server));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.server.address() as AddressInfo;

const message = {
  from: 'client@bank.test',
  to: 'info@kanzlei.test',
  subject: 'Policy 4711',
  text: 'confidential',
};
const plain = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
await plain
  .sendMail(message)
  .catch((error: { response?: string }) => console.log('plaintext refused:', error.response));
const secure = nodemailer.createTransport({
  host: '127.0.0.1',
  port,
  requireTLS: true,
  tls: { ca: ca.cert, servername: 'mx.kanzlei.test' },
});
console.log('TLS accepted:', (await secure.sendMail(message)).response);
await new Promise<void>((resolve) => server.close(() => resolve()));
