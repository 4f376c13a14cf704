import { afterEach, describe, expect, it } from 'vitest';
import { startTestMx, type TestMx, type TestMxOptions } from '../../src/testing/index.js';
import { RawSmtpClient } from './raw-smtp-client.js';

const servers: TestMx[] = [];
const clients: RawSmtpClient[] = [];

async function handshake(options: TestMxOptions, client: Parameters<RawSmtpClient['startTls']>[0]) {
  const mx = await startTestMx({ name: 'mx.mandant.test', ...options });
  servers.push(mx);
  const c = await RawSmtpClient.open(mx.port);
  clients.push(c);
  await c.reply();
  await c.command('STARTTLS');
  return c.startTls({ ca: mx.ca.cert, servername: 'mx.mandant.test', ...client });
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((mx) => mx.close()));
});

describe('startTestMx: certificates and TLS versions', () => {
  it.each([
    ['expired', 'CERT_HAS_EXPIRED'],
    ['not-yet-valid', 'CERT_NOT_YET_VALID'],
    ['self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['unknown-ca', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['wrong-name', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ] as const)('presents a %s certificate that a verifying client refuses (%s)', async (certificate, code) => {
    await expect(handshake({ certificate }, {})).rejects.toMatchObject({ code });
  });

  it.each(['expired', 'self-signed', 'unknown-ca', 'wrong-name'] as const)(
    'completes the handshake with a %s certificate when the client does not verify',
    async (certificate) => {
      const secure = await handshake({ certificate }, { rejectUnauthorized: false });
      expect(secure.encrypted).toBe(true);
      expect(secure.authorized).toBe(false);
      expect(secure.authorizationError).toBeTruthy();
    },
  );

  it('serves TLS 1.0/1.1 only: refused at the default minimum, accepted when the client allows it', async () => {
    const old = {
      tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
    } as const;
    await expect(handshake(old, {})).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_SSL_/) });
    const secure = await handshake(old, { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    expect(secure.getProtocol()).toBe('TLSv1.1');
  });

  it('uses an explicit key and certificate when given', async () => {
    const other = (await import('../../src/testing/index.js')).createTestCa();
    const cert = other.issue({ names: ['mx.mandant.test'] });
    const secure = await handshake({ tls: { key: cert.key, cert: cert.cert } }, { ca: other.cert });
    expect(secure.authorized).toBe(true);
    expect(secure.getPeerX509Certificate()?.fingerprint256).toBe(cert.fingerprint256);
    expect(servers[0]?.fingerprint256).toBe(cert.fingerprint256);
  });
});
