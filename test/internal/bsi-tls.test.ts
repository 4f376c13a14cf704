import { connect as netConnect } from 'node:net';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bsiTlsOptions, OPENSSL_SUITE_NAMES } from '../../src/internal/bsi-tls.js';
import { readSessionFacts } from '../../src/internal/session-facts.js';
import { BSI_PROFILE } from '../../src/policy/index.js';
import { createTestCa, type TestCa, type TestCertificate } from '../../src/testing/index.js';
import { handshake, type RawTlsServer, startRawTlsServer } from '../support/tls-servers.js';

const NAME = 'mx.mandant.test';
let ca: TestCa;
let leaf: TestCertificate;
const servers: RawTlsServer[] = [];

beforeAll(() => {
  ca = createTestCa();
  leaf = ca.issue({ names: [NAME] });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function server(options: object): Promise<RawTlsServer> {
  const s = await startRawTlsServer({ key: leaf.key, cert: leaf.cert, ...options });
  servers.push(s);
  return s;
}

describe('bsiTlsOptions: the profile as node:tls options', () => {
  it('names every TLS 1.2 suite of the profile by its OpenSSL name, and OpenSSL knows each', () => {
    expect(Object.keys(OPENSSL_SUITE_NAMES).sort()).toEqual([...BSI_PROFILE.tls12Suites].sort());
    // OpenSSL refuses a cipher string that matches no suite it knows.
    for (const name of Object.values(OPENSSL_SUITE_NAMES))
      expect(() => createSecureContext({ ciphers: name, maxVersion: 'TLSv1.2' }), name).not.toThrow();
    expect(() => createSecureContext({ ciphers: 'NO-SUCH-SUITE' })).toThrow(/no cipher match/);
  });

  it.each(Object.entries(OPENSSL_SUITE_NAMES).filter(([iana]) => iana.includes('_RSA_')))(
    'negotiates %s when the server offers only %s',
    async (iana, openssl) => {
      const s = await server({ maxVersion: 'TLSv1.2', ciphers: openssl, dhparam: 'auto' });
      const result = await handshake(s.port, NAME, { ca: ca.cert, ...bsiTlsOptions() });
      if ('error' in result) throw new Error(result.error);
      expect(result.socket.getCipher().standardName).toBe(iana);
      result.socket.destroy();
    },
  );

  it('asks for TLS 1.2+, the profile suites of both versions, its groups and PSS/ECDSA signatures only', () => {
    const options = bsiTlsOptions();
    expect(options.minVersion).toBe('TLSv1.2');
    const ciphers = options.ciphers.split(':');
    expect(ciphers.filter((c) => c.startsWith('TLS_'))).toEqual([...BSI_PROFILE.tls13Suites]);
    // Every TLS 1.2 suite is forward secret with AES-GCM, AES-CCM or SHA-2 CBC: no RSA key exchange, CHACHA20, SHA-1.
    const tls12 = ciphers.filter((c) => !c.startsWith('TLS_'));
    expect(
      tls12.filter(
        (c) =>
          !/^(ECDHE|DHE)-(RSA|ECDSA|DSS)-AES(128|256)-(GCM-SHA256|GCM-SHA384|CCM|SHA256|SHA384)$/.test(c),
      ),
    ).toEqual([]);
    expect(options.ecdhCurve.split(':').slice(0, 3)).toEqual(['P-256', 'P-384', 'P-521']);
    expect(options.ecdhCurve).not.toMatch(/X25519|X448|ffdhe2048/);
    expect(options.sigalgs).toContain('rsa_pss_rsae_sha256');
    expect(options.sigalgs).not.toMatch(/pkcs1|RSA\+/);
    expect(() => createSecureContext(options)).not.toThrow();
    expect(bsiTlsOptions()).toBe(options);
  });

  it('fails the handshake with a server whose only group is X25519 (groups are negotiated)', async () => {
    const s = await server({ ecdhCurve: 'X25519' });
    expect(await handshake(s.port, NAME, { ca: ca.cert })).toHaveProperty('socket');
    expect(await handshake(s.port, NAME, { ca: ca.cert, ...bsiTlsOptions() })).toEqual({
      error: expect.stringMatching(/HANDSHAKE_FAILURE/),
    });
  });

  it('fails the handshake with a TLS 1.2 server that signs only with RSASSA-PKCS1-v1_5 (signatures are negotiated)', async () => {
    const s = await server({
      maxVersion: 'TLSv1.2',
      sigalgs: 'RSA+SHA256',
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
    });
    expect(await handshake(s.port, NAME, { ca: ca.cert })).toHaveProperty('socket');
    expect(await handshake(s.port, NAME, { ca: ca.cert, ...bsiTlsOptions() })).toHaveProperty('error');
  });
});

describe('readSessionFacts: the TLS facts of a client socket', () => {
  it('reads chain, name and SAN separately: unknown CA, wrong name', async () => {
    const s = await server({});
    const other = createTestCa();
    const unknown = await handshake(s.port, NAME, { ca: other.cert, rejectUnauthorized: false });
    if ('error' in unknown) throw new Error(unknown.error);
    expect(readSessionFacts(unknown.socket, { name: NAME })).toMatchObject({
      chainValid: false,
      nameValid: true,
      dnsSanMatch: true,
    });
    unknown.socket.destroy();
    const wrong = await handshake(s.port, 'mx.other.test', { ca: ca.cert, rejectUnauthorized: false });
    if ('error' in wrong) throw new Error(wrong.error);
    const facts = readSessionFacts(wrong.socket, { name: 'mx.other.test' });
    expect(facts).toMatchObject({ chainValid: true, nameValid: false, dnsSanMatch: false });
    expect(facts).not.toHaveProperty('fingerprintPinned');
    wrong.socket.destroy();
  });

  it('leaves the socket as it was: getPeerCertificate still works afterwards', async () => {
    const s = await server({});
    const result = await handshake(s.port, NAME, { ca: ca.cert });
    if ('error' in result) throw new Error(result.error);
    const first = readSessionFacts(result.socket, { name: NAME, fingerprints: [leaf.fingerprint256] });
    expect(first.fingerprintPinned).toBe(true);
    expect(readSessionFacts(result.socket, { name: NAME })).toMatchObject({
      peerKeyBits: 2048,
      nameValid: true,
    });
    expect(result.socket.getPeerCertificate().subject?.CN).toBe(NAME);
    result.socket.destroy();
  });

  it('gives protocol null for a socket that is not TLS, and for anything else', async () => {
    const s = await server({});
    const plain = netConnect(s.port, '127.0.0.1');
    await new Promise((resolve) => plain.once('connect', resolve));
    expect(readSessionFacts(plain, { name: NAME })).toEqual({ protocol: null });
    plain.destroy();
    expect(readSessionFacts(undefined, { name: NAME })).toEqual({ protocol: null });
    expect(readSessionFacts({ encrypted: true, getProtocol: () => null }, { name: NAME })).toEqual({
      protocol: null,
    });
  });
});
