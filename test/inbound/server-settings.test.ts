import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { checkServerOptions } from '../../src/inbound/check-server-options.js';
import { ca, leaf, send, startGuardedServer } from './guard-harness.js';
import { RawClient } from './raw-client.js';

const GOOD = { key: leaf.key, cert: leaf.cert, minVersion: 'TLSv1.2' as const };
const codes = (...args: Parameters<typeof checkServerOptions>) =>
  checkServerOptions(...args).map((w) => w.code);

describe('server settings a forced-TLS receiver needs', () => {
  it('checkServerOptions: a good configuration has no warnings', () => {
    const server = { listenerCount: () => 1 };
    expect(checkServerOptions(GOOD, server)).toEqual([]);
  });

  it.each([
    ['no key/cert (built-in certificate)', { minVersion: 'TLSv1.2' }, ['no_certificate']],
    ['minVersion unset (smtp-server default TLSv1)', { key: 'k', cert: 'c' }, ['min_version_low']],
    ['minVersion TLSv1.1', { ...GOOD, minVersion: 'TLSv1.1' }, ['min_version_low']],
    ['minVersion TLSv1.3 (above the floor)', { ...GOOD, minVersion: 'TLSv1.3' }, []],
    ['minVersion not a version Node knows', { ...GOOD, minVersion: 'TLSv2' }, ['min_version_low']],
    ['hideSTARTTLS only hides', { ...GOOD, hideSTARTTLS: true }, ['starttls_only_hidden']],
    ['STARTTLS disabled on a plaintext listener', { disabledCommands: ['starttls'] }, ['starttls_disabled']],
    [
      'STARTTLS disabled on an implicit-TLS listener',
      { ...GOOD, secure: true, disabledCommands: ['STARTTLS'] },
      [],
    ],
  ])('checkServerOptions: %s', (_name, options, expected) => {
    expect(codes(options)).toEqual(expected);
  });

  it('checkServerOptions: a server without an error listener', () => {
    expect(codes(GOOD, { listenerCount: () => 0 })).toEqual(['no_error_listener']);
  });

  it('hideSTARTTLS only hides the command: STARTTLS still works', async () => {
    const h = await startGuardedServer({}, { hideSTARTTLS: true });
    try {
      const c = await RawClient.connect(h.port);
      await c.reply();
      c.write('EHLO a.test\r\n');
      expect(await c.reply()).not.toContain('STARTTLS');
      c.write('STARTTLS\r\n');
      expect(await c.reply()).toMatch(/^220 /);
      c.close();
    } finally {
      await h.close();
    }
  });

  it('disabledCommands really turns STARTTLS off, and TLS-required senders are then refused', async () => {
    const h = await startGuardedServer({}, { disabledCommands: ['STARTTLS'] });
    try {
      const c = await RawClient.connect(h.port);
      await c.reply();
      c.write('EHLO a.test\r\nSTARTTLS\r\n');
      await c.reply();
      expect(await c.reply()).toMatch(/^5\d\d /);
      c.close();
      expect((await send(h.port, 'client@bank.test', 'tls')).ok).toBe(false);
      expect((await send(h.port, 'client@bank.test', 'plaintext')).error?.responseCode).toBe(530);
      expect(h.stored).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('minVersion TLSv1.2 refuses a TLS 1.1 handshake before any command', async () => {
    const h = await startGuardedServer();
    try {
      const result = await send(h.port, 'someone@other.test', 'tls1.1');
      expect(result.ok).toBe(false);
      expect(result.error?.command).not.toBe('MAIL FROM');
      expect(h.reports).toEqual([]);
      expect(h.stored).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it("an aborted implicit-TLS handshake emits 'error' (fatal without a listener); the server keeps serving", async () => {
    const errors: Error[] = [];
    const server = new SMTPServer({
      ...GOOD,
      secure: true,
      logger: false,
      authOptional: true,
      onData: (s, _x, cb) => s.on('end', () => cb()).resume(),
    });
    server.on('error', (error) => errors.push(error));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    try {
      const c = await RawClient.connect(port);
      c.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01]));
      await new Promise((resolve) => setTimeout(resolve, 20));
      c.close();
      for (let i = 0; i < 50 && errors.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(errors.length).toBeGreaterThan(0);
      const { createTransport } = await import('nodemailer');
      const t = createTransport({
        host: '127.0.0.1',
        port,
        secure: true,
        tls: { ca: ca.cert, servername: 'mx.kanzlei.test' },
      });
      await expect(
        t.sendMail({ from: 'a@other.test', to: 'b@kanzlei.test', text: 'x' }),
      ).resolves.toBeDefined();
      t.close();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
