import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ca, type Harness, send, startGuardedServer } from './guard-harness.js';
import { RawClient } from './raw-client.js';

const TLS = { ca: ca.cert, servername: 'mx.kanzlei.test' };

describe('inbound guard against hostile clients', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGuardedServer();
  });
  afterAll(() => h.close());

  it('does not execute a MAIL FROM pipelined behind STARTTLS in the same packet', async () => {
    const c = await RawClient.connect(h.port);
    expect(await c.reply()).toMatch(/^220 /);
    c.write('EHLO attacker.test\r\n');
    expect(await c.reply()).toContain('STARTTLS');
    const reportsBefore = h.reports.length;
    c.write('STARTTLS\r\nMAIL FROM:<client@bank.test>\r\n');
    expect(await c.reply()).toMatch(/^220 /);
    await c.startTls(TLS);
    c.write('EHLO attacker.test\r\n');
    expect(await c.reply()).toMatch(/^250/);
    c.write('RCPT TO:<info@kanzlei.test>\r\n');
    expect(await c.reply()).toMatch(/^503 .*need MAIL/i);
    c.write('QUIT\r\n');
    c.close();
    expect(h.reports.length).toBe(reportsBefore);
    expect(h.hostMailFrom).not.toContain('client@bank.test');
  });

  it('refuses a sender the policy cannot parse (553) instead of letting it pass in plaintext', async () => {
    const c = await RawClient.connect(h.port);
    await c.reply();
    c.write('EHLO attacker.test\r\n');
    await c.reply();
    c.write('MAIL FROM:<"client"@bank.test>\r\n');
    expect(await c.reply()).toBe('553 5.1.7 Invalid sender address');
    c.write('RCPT TO:<info@kanzlei.test>\r\n');
    expect(await c.reply()).toMatch(/^503 /);
    c.close();
    expect(h.reports.at(-1)).toMatchObject({ outcome: 'reject', reason: 'invalid_sender', decision: null });
  });

  it.each([
    [
      'an aborted TLS handshake',
      async (c: RawClient) => {
        c.write('EHLO a.test\r\n');
        await c.reply();
        c.write('STARTTLS\r\n');
        await c.reply();
        c.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01]));
      },
    ],
    ['binary garbage', async (c: RawClient) => c.write(randomBytes(4096))],
    ['a command cut off mid-line', async (c: RawClient) => c.write('EHLO a.test\r\nMAIL FROM:<client@ban')],
    ['an over-long line', async (c: RawClient) => c.write(`EHLO ${'a'.repeat(70_000)}\r\n`)],
  ])('keeps serving after %s', async (_name, misbehave) => {
    const c = await RawClient.connect(h.port);
    await c.reply();
    await misbehave(c);
    await new Promise((resolve) => setTimeout(resolve, 20));
    c.close();
    expect(await send(h.port, 'client@bank.test', 'tls')).toEqual({ ok: true });
    expect((await send(h.port, 'client@bank.test', 'plaintext')).error?.responseCode).toBe(530);
  });
});
