import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy, isForcedTlsError } from '../../src/index.js';
import { createTestCa, startTestMx, type TestMx } from '../../src/testing/index.js';
import { forceTls } from '../../src/transport/index.js';

// The recipes of docs/testing.md, run as written there (imports aside).
const servers: TestMx[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('docs/testing.md recipes', () => {
  it('testing forceTls against a test server: TLS to the relay, nothing sensitive in plaintext', async () => {
    const relay = await startTestMx({ name: 'smtp.kanzlei.test', authBeforeTls: true });
    servers.push(relay);
    // The app's own transporter, as configured in production, plus the test CA.
    const existing = nodemailer.createTransport({
      host: 'smtp.kanzlei.test',
      port: 587,
      auth: { user: 'kanzlei', pass: 'geheim' },
      tls: { ca: relay.ca.cert },
    });
    const secured = forceTls(existing, {
      policy: createPolicy({ outbound: { default: 'encrypt' } }),
      recipientProtection: 'trust-relay',
      connect: () => ({ host: relay.host, port: relay.port }), // the relay's name, the test server's port
    });
    const info = await secured.sendMail({
      from: 'a@kanzlei.test',
      to: 'b@mandant.test',
      text: 'Vertraulich.',
    });
    expect(info.tls.recipients[0]).toMatchObject({ state: 'delivered', tls: { certificateVerified: true } });
    expect(relay.messages[0]?.secure).toBe(true);
    expect(relay.auths.map((a) => a.phase)).toEqual(['tls']);
    expect(relay.receivedInPlaintext()).toEqual([]);
    secured.close();
    existing.close();
  });

  it('and against a relay without STARTTLS: refused, only EHLO and STARTTLS reached it', async () => {
    const plain = await startTestMx({ name: 'smtp.kanzlei.test', starttls: false });
    servers.push(plain);
    const existing = nodemailer.createTransport({
      host: 'smtp.kanzlei.test',
      port: 587,
      tls: { ca: plain.ca.cert },
    });
    const secured = forceTls(existing, {
      policy: createPolicy({ outbound: { default: 'encrypt' } }),
      recipientProtection: 'trust-relay',
      connect: () => ({ host: plain.host, port: plain.port }),
    });
    const error = await secured
      .sendMail({ from: 'a@kanzlei.test', to: 'b@mandant.test', text: 'x' })
      .catch((e) => e);
    expect(isForcedTlsError(error) && error.code).toBe('ETLSREQUIRED');
    expect(plain.commands()).toEqual(['EHLO', 'STARTTLS']);
    secured.close();
    existing.close();
  });

  it('createTestCa: a CA of your own for servers of your own', async () => {
    const ca = createTestCa({ commonName: 'Kanzlei test CA' });
    const { key, cert } = ca.issue({ names: ['mx.mandant.test'] });
    const mx = await startTestMx({ name: 'mx.mandant.test', tls: { key, cert } });
    servers.push(mx);
    const client = nodemailer.createTransport({
      host: mx.host,
      port: mx.port,
      requireTLS: true,
      tls: { ca: ca.cert, servername: 'mx.mandant.test' },
    });
    await client.sendMail({ from: 'a@kanzlei.test', to: 'b@mandant.test', text: 'x' });
    expect(mx.handshakes[0]).toMatchObject({ ok: true, servername: 'mx.mandant.test' });
    client.close();
  });
});
