import { afterEach, describe, expect, it } from 'vitest';
import { startTestMx, type TestMx } from '../../src/testing/index.js';
import { RawSmtpClient } from './raw-smtp-client.js';

const servers: TestMx[] = [];
const clients: RawSmtpClient[] = [];

async function start(options: Parameters<typeof startTestMx>[0] = {}): Promise<TestMx> {
  const mx = await startTestMx(options);
  servers.push(mx);
  return mx;
}

async function open(mx: TestMx): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.open(mx.port, mx.host);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((mx) => mx.close()));
});

describe('startTestMx: a well-behaved TLS-capable MX', () => {
  it('delivers over STARTTLS and logs each line with its phase', async () => {
    const mx = await start({ name: 'mx.mandant.test' });
    expect(mx.host).toBe('127.0.0.1');
    expect(mx.port).toBeGreaterThan(0);
    const c = await open(mx);
    expect(await c.reply()).toMatch(/^220 mx\.mandant\.test /);
    const ehlo = await c.command('EHLO client.test');
    expect(ehlo).toMatch(/^250-mx\.mandant\.test\r\n/);
    expect(ehlo).toContain('250 STARTTLS\r\n');
    expect(await c.command('STARTTLS')).toMatch(/^220 /);
    const secure = await c.startTls({ ca: mx.ca.cert, servername: 'mx.mandant.test' });
    expect(secure.authorized).toBe(true);
    expect(secure.getPeerX509Certificate()?.fingerprint256).toBe(mx.fingerprint256);
    const ehloTls = await c.command('EHLO client.test');
    expect(ehloTls).not.toContain('STARTTLS');
    expect(ehloTls).toContain('AUTH PLAIN LOGIN');
    expect(await c.command('MAIL FROM:<kanzlei@sender.test>')).toMatch(/^250 /);
    expect(await c.command('RCPT TO:<mandant@mandant.test>')).toMatch(/^250 /);
    expect(await c.command('DATA')).toMatch(/^354 /);
    expect(await c.command('Subject: Hallo\r\n\r\n..dot-stuffed\r\nBody\r\n.')).toMatch(/^250 /);
    expect(await c.command('QUIT')).toMatch(/^221 /);

    expect(mx.messages).toHaveLength(1);
    const message = mx.messages[0]!;
    expect(message).toMatchObject({
      from: 'kanzlei@sender.test',
      to: ['mandant@mandant.test'],
      secure: true,
      protocol: 'TLSv1.3',
      servername: 'mx.mandant.test',
    });
    expect(message.cipher).toMatch(/^TLS_/);
    expect(message.data).toBe('Subject: Hallo\r\n\r\n.dot-stuffed\r\nBody\r\n');
    expect(mx.commandsBeforeTls()).toEqual(['EHLO', 'STARTTLS']);
    expect(mx.commands('tls')).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT']);
    expect(mx.receivedInPlaintext()).toEqual([]);
    expect(mx.log.find((e) => e.line === 'Body')).toMatchObject({ phase: 'tls', data: true });
    expect(mx.handshakes).toEqual([expect.objectContaining({ ok: true, protocol: 'TLSv1.3' })]);
    expect(mx.connections).toBe(1);
  });

  it('flags MAIL, RCPT, DATA and body lines that arrive in plaintext', async () => {
    const mx = await start();
    const c = await open(mx);
    await c.reply();
    await c.command('EHLO client.test');
    await c.command('MAIL FROM:<a@sender.test>');
    await c.command('RCPT TO:<b@mandant.test>');
    await c.command('DATA');
    await c.command('secret\r\n.');
    const leaked = mx.receivedInPlaintext();
    expect(leaked.map((e) => e.line)).toEqual([
      'MAIL FROM:<a@sender.test>',
      'RCPT TO:<b@mandant.test>',
      'DATA',
      'secret',
      '.',
    ]);
    expect(mx.receivedInPlaintext(['MAIL'])).toHaveLength(1);
    expect(mx.messages[0]).toMatchObject({ secure: false, protocol: undefined });
  });

  it('records AUTH attempts with their phase and accepts any credentials', async () => {
    const mx = await start({ authBeforeTls: true });
    const c = await open(mx);
    await c.reply();
    expect(await c.command('EHLO client.test')).toContain('AUTH PLAIN LOGIN');
    expect(await c.command('AUTH PLAIN AHVzZXIAcGFzcw==')).toMatch(/^235 /);
    expect(await c.command('AUTH LOGIN')).toMatch(/^334 VXNlcm5hbWU6/);
    expect(await c.command('dXNlcg==')).toMatch(/^334 UGFzc3dvcmQ6/);
    expect(await c.command('cGFzcw==')).toMatch(/^235 /);
    expect(mx.auths).toEqual([
      { connection: 1, phase: 'plain', mechanism: 'PLAIN' },
      { connection: 1, phase: 'plain', mechanism: 'LOGIN' },
    ]);
    expect(mx.receivedInPlaintext(['AUTH'])).toHaveLength(2);
  });

  it('answers recipients one by one and advertises REQUIRETLS only after TLS', async () => {
    const mx = await start({
      requireTls: true,
      rcptResponse: (address) => (address.startsWith('gone@') ? '550 5.1.1 No such user\r\n' : undefined),
    });
    const c = await open(mx);
    await c.reply();
    expect(await c.command('EHLO client.test')).not.toContain('REQUIRETLS');
    await c.command('STARTTLS');
    await c.startTls({ ca: mx.ca.cert, servername: 'mx.test' });
    expect(await c.command('EHLO client.test')).toContain('250 REQUIRETLS\r\n');
    await c.command('MAIL FROM:<a@sender.test>');
    expect(await c.command('RCPT TO:<gone@mandant.test>')).toMatch(/^550 5\.1\.1/);
    expect(await c.command('RCPT TO:<ok@mandant.test>')).toMatch(/^250 /);
    await c.command('DATA');
    await c.command('x\r\n.');
    expect(mx.messages[0]?.to).toEqual(['ok@mandant.test']);
  });

  it('serves implicit TLS (port-465 style) and listens on ::1 when asked', async () => {
    const mx = await start({ implicitTls: true });
    const c = await open(mx);
    const secure = await c.startTls({ ca: mx.ca.cert, servername: 'mx.test' });
    expect(secure.getProtocol()).toBe('TLSv1.3');
    expect(await c.reply()).toMatch(/^220 /);
    expect(await c.command('EHLO client.test')).not.toContain('STARTTLS');
    expect(mx.commandsBeforeTls()).toEqual([]);

    const v6 = await start({ host: '::1' }).catch(() => undefined);
    if (v6 !== undefined) {
      expect(v6.host).toBe('::1');
      const c6 = await open(v6);
      expect(await c6.reply()).toMatch(/^220 /);
    }
  });

  it('lets onCommand override any reply or end the session', async () => {
    const mx = await start({
      onCommand: ({ verb }) => {
        if (verb === 'NOOP') return '250 hooked\r\n';
        if (verb === 'VRFY') return { reply: '421 4.3.0 bye\r\n', after: 'close' };
        return undefined;
      },
    });
    const c = await open(mx);
    await c.reply();
    expect(await c.command('NOOP')).toBe('250 hooked\r\n');
    expect(await c.command('VRFY x')).toBe('421 4.3.0 bye\r\n');
    await c.until(() => false, 500);
    expect(c.closed).toBe(true);
  });
});
