import { afterEach, describe, expect, it } from 'vitest';
import { startTestMx, type TestMx, type TestMxOptions } from '../../src/testing/index.js';
import { RawSmtpClient } from './raw-smtp-client.js';

const servers: TestMx[] = [];
const clients: RawSmtpClient[] = [];

async function session(options: TestMxOptions): Promise<{ mx: TestMx; c: RawSmtpClient }> {
  const mx = await startTestMx(options);
  servers.push(mx);
  const c = await RawSmtpClient.open(mx.port, mx.host);
  clients.push(c);
  return { mx, c };
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((mx) => mx.close()));
});

describe('startTestMx: hostile behaviours, seen by a raw client', () => {
  it('strips STARTTLS from the EHLO reply but still answers STARTTLS', async () => {
    const { c } = await session({ advertiseStarttls: false });
    await c.reply();
    expect(await c.command('EHLO client.test')).not.toContain('STARTTLS');
    expect(await c.command('STARTTLS')).toMatch(/^220 /);
  });

  it('is a plaintext-only server with starttls:false (502, no transition)', async () => {
    const { mx, c } = await session({ starttls: false });
    await c.reply();
    expect(await c.command('EHLO client.test')).not.toContain('STARTTLS');
    expect(await c.command('STARTTLS')).toMatch(/^502 /);
    expect(await c.command('NOOP')).toMatch(/^250 /);
    expect(mx.handshakes).toEqual([]);
  });

  it.each([
    '454 4.7.0 TLS not available due to temporary reason\r\n',
    '500 5.5.1 Command unrecognized\r\n',
    '354 do something else\r\n',
    '421 4.3.2 Shutting down\r\n',
  ])('answers STARTTLS with %j and stays in plaintext', async (reply) => {
    const { mx, c } = await session({ starttlsResponse: reply });
    await c.reply();
    await c.command('EHLO client.test');
    expect(await c.command('STARTTLS')).toBe(reply);
    // A client that carries on anyway is caught by the log.
    await c.command('MAIL FROM:<a@sender.test>');
    expect(mx.receivedInPlaintext().map((e) => e.line)).toEqual(['MAIL FROM:<a@sender.test>']);
  });

  it('injects complete lines after 220 in the same packet, then starts TLS', async () => {
    const { mx, c } = await session({
      starttlsResponse: '220 Go ahead\r\n250-evil.test\r\n250 AUTH LOGIN\r\n',
    });
    await c.reply();
    await c.command('EHLO client.test');
    c.send('STARTTLS\r\n');
    expect(await c.until((t) => t.includes('AUTH LOGIN'))).toBe(
      '220 Go ahead\r\n250-evil.test\r\n250 AUTH LOGIN\r\n',
    );
    await c.startTls({ ca: mx.ca.cert, servername: 'mx.test' });
    expect(await c.command('EHLO client.test')).toMatch(/^250-mx\.test/);
  });

  it('sends a CRLF-free fragment and an unfinished multi-line reply after 220', async () => {
    const fragment = await session({ starttlsResponse: '220 Go ahead\r\n250 frag' });
    await fragment.c.reply();
    fragment.c.send('STARTTLS\r\n');
    expect(await fragment.c.until((t) => t.endsWith('frag'))).toBe('220 Go ahead\r\n250 frag');
    const unfinished = await session({ starttlsResponse: '220 Go ahead\r\n250-first\r\n250-second\r\n' });
    await unfinished.c.reply();
    unfinished.c.send('STARTTLS\r\n');
    expect(await unfinished.c.until((t) => t.includes('second'))).toBe(
      '220 Go ahead\r\n250-first\r\n250-second\r\n',
    );
  });

  it('answers the ClientHello with garbage, or closes, instead of a handshake', async () => {
    const garbage = await session({ afterStarttls: 'garbage' });
    await garbage.c.reply();
    await garbage.c.command('STARTTLS');
    await expect(garbage.c.startTls({ ca: garbage.mx.ca.cert, servername: 'mx.test' })).rejects.toThrow();
    const closing = await session({ afterStarttls: 'close' });
    await closing.c.reply();
    await closing.c.command('STARTTLS');
    await expect(closing.c.startTls({ ca: closing.mx.ca.cert, servername: 'mx.test' })).rejects.toThrow();
  });

  it('refuses EHLO with a raw reply and can drop the connection after the greeting', async () => {
    const refusing = await session({ ehloResponse: '502 5.5.2 EHLO not implemented\r\n' });
    await refusing.c.reply();
    expect(await refusing.c.command('EHLO client.test')).toBe('502 5.5.2 EHLO not implemented\r\n');
    const dropping = await session({ dropAfterGreeting: true });
    expect(await dropping.c.idle(1000)).toMatch(/^220 /);
    expect(dropping.c.closed).toBe(true);
  });

  it.each([
    ['greeting', []],
    ['ehlo', ['EHLO client.test']],
    ['starttls', ['EHLO client.test', 'STARTTLS']],
    ['data', ['EHLO client.test', 'MAIL FROM:<a@s.test>', 'RCPT TO:<b@m.test>', 'DATA']],
    ['message', ['EHLO client.test', 'MAIL FROM:<a@s.test>', 'RCPT TO:<b@m.test>', 'DATA', 'x\r\n.']],
  ] as const)('stalls at %s and stays silent', async (stallAt, commands) => {
    const { c } = await session({ stallAt });
    if (stallAt !== 'greeting') await c.reply();
    for (const command of commands.slice(0, -1)) await c.command(command);
    const last = commands.at(-1);
    if (last !== undefined) c.send(`${last}\r\n`);
    expect(await c.idle(150)).toBe('');
    expect(c.closed).toBe(false);
  });

  it('stalls during the handshake (the ClientHello goes unanswered)', async () => {
    const { mx, c } = await session({ afterStarttls: 'stall' });
    await c.reply();
    await c.command('STARTTLS');
    const attempt = c.startTls({ ca: mx.ca.cert, servername: 'mx.test' });
    const outcome = await Promise.race([
      attempt.then(
        () => 'done',
        () => 'failed',
      ),
      c.idle(200).then(() => 'stalled'),
    ]);
    expect(outcome).toBe('stalled');
  });

  it('logs commands pipelined after STARTTLS as plaintext and discards them', async () => {
    const { mx, c } = await session({});
    await c.reply();
    c.send('STARTTLS\r\nMAIL FROM:<a@sender.test>\r\n');
    expect(await c.reply()).toMatch(/^220 /);
    await c.startTls({ ca: mx.ca.cert, servername: 'mx.test' });
    expect(await c.command('NOOP')).toMatch(/^250 /);
    expect(mx.receivedInPlaintext().map((e) => e.line)).toEqual(['MAIL FROM:<a@sender.test>']);
  });

  it('survives clients that vanish mid-handshake and keeps serving', async () => {
    const { mx, c } = await session({});
    await c.reply();
    await c.command('STARTTLS');
    c.send('\x16\x03\x01\x00\x05junk');
    c.close();
    const next = await RawSmtpClient.open(mx.port);
    clients.push(next);
    expect(await next.reply()).toMatch(/^220 /);
    await expect.poll(() => mx.handshakes[0]?.ok).toBe(false);
  });
});
