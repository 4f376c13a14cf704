import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bsiTlsOptions, checkServerOptions } from '../../src/inbound/index.js';
import { readSessionFacts } from '../../src/internal/session-facts.js';
import { judgeBsiProfile } from '../../src/policy/index.js';
import type { TestCertificate } from '../../src/testing/index.js';
import { ca, type Harness, leaf, startGuardedServer } from './guard-harness.js';

// Module level: the it.each tables below read them while the tests are collected.
const strong: TestCertificate = ca.issue({ names: ['mx.kanzlei.test'], keyBits: 3072 });
const weak: TestCertificate = ca.issue({ names: ['mx.kanzlei.test'], keyBits: 1024 });

const BSI = { bsiProfile: true } as const;
const codes = (options: Parameters<typeof checkServerOptions>[0]) =>
  checkServerOptions(options, undefined, BSI).map((w) => w.code);
const profile = () => ({ key: strong.key, cert: strong.cert, ...bsiTlsOptions() });

describe('checkServerOptions with bsiProfile: the settings against BSI TR-02102-2', () => {
  it('passes the profile options with a 3072-bit certificate, and checks nothing new without the option', () => {
    expect(checkServerOptions(profile(), { listenerCount: () => 1 }, BSI)).toEqual([]);
    const plain = { key: leaf.key, cert: leaf.cert, minVersion: 'TLSv1.2' };
    expect(checkServerOptions(plain)).toEqual([]);
    expect(codes(plain)).toEqual([
      'bsi_ciphers_outside_profile',
      'bsi_groups_outside_profile',
      'bsi_sigalgs_outside_profile',
      'bsi_key_outside_profile',
    ]);
  });

  it.each([
    [
      'ciphers as an OpenSSL keyword',
      { ciphers: 'TLS_AES_128_GCM_SHA256:HIGH:!aNULL' },
      'bsi_ciphers_outside_profile',
      'ciphers has HIGH',
    ],
    [
      'a CHACHA20 suite',
      { ciphers: `${bsiTlsOptions().ciphers}:TLS_CHACHA20_POLY1305_SHA256` },
      'bsi_ciphers_outside_profile',
      'TLS_CHACHA20_POLY1305_SHA256',
    ],
    [
      'TLS 1.2 suites only, TLS 1.3 on',
      { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
      'bsi_ciphers_outside_profile',
      "Node's TLS 1.3 defaults",
    ],
    ['ecdhCurve auto', { ecdhCurve: 'auto' }, 'bsi_groups_outside_profile', 'auto'],
    ['X25519 among the groups', { ecdhCurve: 'X25519:P-256' }, 'bsi_groups_outside_profile', 'X25519'],
    [
      'PKCS#1 signatures',
      { sigalgs: 'RSA+SHA256:rsa_pss_rsae_sha256' },
      'bsi_sigalgs_outside_profile',
      'RSA+SHA256',
    ],
    [
      'a 1024-bit key',
      { key: weak.key, cert: weak.cert },
      'bsi_key_outside_profile',
      'rsa 1024 bits: RSA below 3000 bits',
    ],
    [
      'no PEM certificate to read',
      { cert: undefined, pfx: Buffer.from('x') },
      'bsi_key_unchecked',
      'could not be checked',
    ],
  ])('warns about %s', (_, change, code, text) => {
    const warnings = checkServerOptions({ ...profile(), ...change }, undefined, BSI);
    expect(warnings).toEqual([{ code, message: expect.stringContaining(text) }]);
  });

  it('accepts TLS 1.2 suites only when TLS 1.3 is off, and checks nothing on a listener without TLS', () => {
    expect(codes({ ...profile(), ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', maxVersion: 'TLSv1.2' })).toEqual(
      [],
    );
    expect(codes({ disabledCommands: ['STARTTLS'] })).toEqual(['starttls_disabled']);
  });
});

/** EHLO, STARTTLS and a handshake with `options` against a real smtp-server; the TLS socket or the error code. */
async function starttls(port: number, options: ConnectionOptions): Promise<TLSSocket | string> {
  const plain: Socket = netConnect(port, '127.0.0.1');
  let buffer = '';
  plain.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
  });
  const reply = async (code: string) => {
    for (let i = 0; i < 100 && !new RegExp(`^${code} `, 'm').test(buffer); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    buffer = '';
  };
  await reply('220');
  plain.write('EHLO client.test\r\n');
  await reply('250');
  plain.write('STARTTLS\r\n');
  await reply('220');
  plain.removeAllListeners('data');
  return new Promise((resolve) => {
    const secure = tlsConnect({ socket: plain, servername: 'mx.kanzlei.test', ca: ca.cert, ...options }, () =>
      resolve(secure),
    );
    secure.on('error', (error: Error & { code?: string }) => resolve(error.code ?? error.message));
  });
}

describe('an smtp-server configured with bsiTlsOptions()', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGuardedServer({}, profile());
  });
  afterAll(async () => h.close());

  it("gives a client with Node's defaults a session within the profile (P-256, not X25519)", async () => {
    const socket = await starttls(h.port, {});
    if (typeof socket === 'string') throw new Error(socket);
    const facts = readSessionFacts(socket, { name: 'mx.kanzlei.test' });
    expect(facts).toMatchObject({ protocol: 'TLSv1.3', group: 'secp256r1', peerKeyBits: 3072 });
    expect(judgeBsiProfile(facts).within).toBe(true);
    socket.destroy();
  });

  it('refuses a client that offers only CHACHA20', async () => {
    expect(
      await starttls(h.port, { ciphers: 'TLS_CHACHA20_POLY1305_SHA256', minVersion: 'TLSv1.3' }),
    ).toMatch(/HANDSHAKE_FAILURE/);
  });
});
