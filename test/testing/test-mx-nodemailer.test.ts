import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestMx, type TestMx } from '../../src/testing/index.js';

const servers: TestMx[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((mx) => mx.close()));
});

async function deliver(mx: TestMx, secure: boolean): Promise<void> {
  const transporter = nodemailer.createTransport({
    host: mx.host,
    port: mx.port,
    secure,
    requireTLS: !secure,
    name: 'kanzlei.test',
    tls: { ca: mx.ca.cert, servername: mx.name },
  });
  const info = await transporter.sendMail({
    from: 'kanzlei@kanzlei.test',
    to: 'mandant@mandant.test',
    subject: 'Bescheid',
    text: 'Hallo',
  });
  expect(info.accepted).toEqual(['mandant@mandant.test']);
  expect(info.response).toMatch(/^250 /);
  // Non-pooled sendMail ends with the 250 for the body and closes without QUIT.
  transporter.close();
}

describe('startTestMx with stock nodemailer: each command is read exactly once', () => {
  it('implicit TLS (port-465 style): one message, each command logged once, no 354 for the body', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test', implicitTls: true });
    servers.push(mx);
    await deliver(mx, true);

    expect(mx.commands('tls')).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA']);
    expect(mx.commandsBeforeTls()).toEqual([]);
    expect(mx.log.filter((e) => e.line === 'Hallo')).toHaveLength(1);
    expect(mx.log.filter((e) => e.line === '.')).toHaveLength(1);
    expect(mx.messages).toHaveLength(1);
    expect(mx.messages[0]).toMatchObject({
      from: 'kanzlei@kanzlei.test',
      to: ['mandant@mandant.test'],
      secure: true,
      servername: 'mx.mandant.test',
    });
    expect(mx.messages[0]?.data).toContain('Subject: Bescheid');
    expect(mx.handshakes).toEqual([expect.objectContaining({ ok: true })]);
  });

  it('STARTTLS: after the upgrade each command is logged once, none before TLS but EHLO/STARTTLS', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test' });
    servers.push(mx);
    await deliver(mx, false);

    expect(mx.commandsBeforeTls()).toEqual(['EHLO', 'STARTTLS']);
    expect(mx.commands('tls')).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA']);
    expect(mx.log.filter((e) => e.line === 'Hallo')).toHaveLength(1);
    expect(mx.messages).toHaveLength(1);
    expect(mx.messages[0]).toMatchObject({ secure: true, servername: 'mx.mandant.test' });
    expect(mx.receivedInPlaintext()).toEqual([]);
  });
});
