import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bsiTlsOptions } from '../../src/internal/bsi-tls.js';
import { readSessionFacts } from '../../src/internal/session-facts.js';
import { assessTier, type SessionFacts } from '../../src/policy/index.js';
import { createTestCa, type TestCa, type TestCertificate } from '../../src/testing/index.js';
import { handshake, type RawTlsServer, startRawTlsServer } from '../support/tls-servers.js';

// The BSI cases of issue 11, each against a real node:tls server on loopback: the facts read from
// the client socket, the profile verdict, the tier with and without authentication, and what the
// profile's handshake options do.

const NAME = 'mx.mandant.test';
let ca: TestCa;
let strong: TestCertificate; // RSA 3072, DNS SAN
let weak: TestCertificate; // RSA 1024, DNS SAN
let cnOnly: TestCertificate; // RSA 3072, CN only
const servers: RawTlsServer[] = [];

beforeAll(() => {
  ca = createTestCa();
  strong = ca.issue({ names: [NAME], keyBits: 3072 });
  weak = ca.issue({ names: [NAME], keyBits: 1024 });
  cnOnly = ca.issue({ names: [NAME], keyBits: 3072, commonNameOnly: true });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function server(certificate: TestCertificate, options: TlsOptions = {}): Promise<RawTlsServer> {
  const s = await startRawTlsServer({ key: certificate.key, cert: certificate.cert, ...options });
  servers.push(s);
  return s;
}

/** Connects (trusting the test CA), reads the facts with the certificate pinned or not, and hangs up. */
async function session(
  s: RawTlsServer,
  client: ConnectionOptions,
  pin?: string,
): Promise<{ facts: SessionFacts } | { error: string }> {
  const result = await handshake(s.port, NAME, { ca: ca.cert, ...client });
  if ('error' in result) return result;
  const facts = readSessionFacts(result.socket, { name: NAME, ...(pin ? { fingerprints: [pin] } : {}) });
  result.socket.destroy();
  return { facts };
}

async function factsOf(s: RawTlsServer, client: ConnectionOptions = {}, pin?: string): Promise<SessionFacts> {
  const result = await session(s, client, pin);
  if ('error' in result) throw new Error(`handshake failed: ${result.error}`);
  return result.facts;
}

const MTA_STS = { mtaStsMode: 'enforce', mtaStsMxMatched: true } as const;
const codes = (facts: SessionFacts) => assessTier(facts).reasons.map((r) => r.code);

describe('TLS 1.2 with ECDHE-RSA-AES128-GCM-SHA256 and a 3072-bit key', () => {
  it('is within the profile with its handshake options, and qualified once authenticated', async () => {
    const s = await server(strong, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    const facts = await factsOf(s, bsiTlsOptions(), strong.fingerprint256);
    expect(facts).toMatchObject({
      protocol: 'TLSv1.2',
      cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      group: 'secp256r1',
      groupType: 'ECDH',
      groupBits: 256,
      peerKeyType: 'rsa',
      peerKeyBits: 3072,
      chainValid: true,
      nameValid: true,
      dnsSanMatch: true,
      fingerprintPinned: true,
    });
    expect(assessTier(facts).bsiProfile).toMatchObject({ within: true, shortfalls: [] });
    expect(assessTier(facts)).toMatchObject({ tier: 'qualified', authentication: 'pinned', reasons: [] });
    expect(assessTier({ ...facts, fingerprintPinned: false, ...MTA_STS })).toMatchObject({
      tier: 'qualified',
      authentication: 'mta-sts',
    });
    // Without authentication beyond PKIX: encrypted, because the MX name came from unauthenticated DNS.
    expect(assessTier({ ...facts, fingerprintPinned: false })).toMatchObject({
      tier: 'encrypted',
      authentication: 'pkix',
      reasons: [{ code: 'not_authenticated' }],
    });
  });

  it("is outside the profile with Node's default client options: X25519 is negotiated", async () => {
    const s = await server(strong, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    const facts = await factsOf(s, {}, strong.fingerprint256);
    expect(facts.group).toBe('x25519');
    expect(assessTier(facts)).toMatchObject({
      tier: 'encrypted',
      authentication: 'pinned',
      reasons: [{ code: 'outside_bsi_profile', text: 'outside_bsi_profile: group x25519' }],
    });
  });
});

describe('a server offering only AES128-SHA (TLS_RSA_WITH_AES_128_CBC_SHA)', () => {
  it('is read as a non-forward-secret suite outside the profile, encrypted even when pinned', async () => {
    const s = await server(strong, { maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA' });
    const facts = await factsOf(s, {}, strong.fingerprint256);
    expect(facts).toMatchObject({ protocol: 'TLSv1.2', cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA' });
    expect(facts.group).toBeUndefined();
    expect(assessTier(facts)).toMatchObject({
      tier: 'encrypted',
      authentication: 'pinned',
      reasons: [{ text: 'outside_bsi_profile: cipher TLS_RSA_WITH_AES_128_CBC_SHA' }],
    });
    expect(codes({ ...facts, fingerprintPinned: false })).toEqual([
      'outside_bsi_profile',
      'not_authenticated',
    ]);
  });

  it('fails the handshake when the profile is applied', async () => {
    const s = await server(strong, { maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA' });
    expect(await session(s, bsiTlsOptions())).toEqual({ error: expect.stringMatching(/HANDSHAKE_FAILURE/) });
    expect(s.handshakes).toEqual([]);
  });
});

describe('a TLS 1.3 server offering only CHACHA20-POLY1305', () => {
  it('is read as TLS 1.3 with a suite outside Table 12', async () => {
    const s = await server(strong, { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' });
    const facts = await factsOf(s, { ecdhCurve: 'P-256' }, strong.fingerprint256);
    expect(facts).toMatchObject({
      protocol: 'TLSv1.3',
      cipher: 'TLS_CHACHA20_POLY1305_SHA256',
      group: 'secp256r1',
    });
    expect(assessTier(facts).bsiProfile.shortfalls).toEqual([
      { aspect: 'cipher', value: 'TLS_CHACHA20_POLY1305_SHA256', text: 'not a TLS 1.3 suite of Table 12' },
    ]);
    expect(assessTier(facts).tier).toBe('encrypted');
    expect(assessTier({ ...facts, ...MTA_STS }).tier).toBe('encrypted');
  });

  it('fails the handshake when the profile is applied', async () => {
    const s = await server(strong, { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' });
    expect(await session(s, bsiTlsOptions())).toEqual({ error: expect.stringMatching(/HANDSHAKE_FAILURE/) });
    expect(s.handshakes).toEqual([]);
  });
});

describe('an RSA-1024 certificate', () => {
  it('completes the handshake even with the profile (key size is not negotiable) and is judged on the result', async () => {
    const s = await server(weak);
    const facts = await factsOf(s, bsiTlsOptions(), weak.fingerprint256);
    expect(facts).toMatchObject({
      protocol: 'TLSv1.3',
      peerKeyType: 'rsa',
      peerKeyBits: 1024,
      chainValid: true,
    });
    expect(assessTier(facts)).toMatchObject({
      tier: 'encrypted',
      authentication: 'pinned',
      reasons: [{ code: 'outside_bsi_profile', text: 'outside_bsi_profile: peer key rsa 1024 bits' }],
    });
    expect(codes({ ...facts, fingerprintPinned: false, ...MTA_STS })).toEqual(['outside_bsi_profile']);
    expect(codes({ ...facts, fingerprintPinned: false })).toEqual([
      'outside_bsi_profile',
      'not_authenticated',
    ]);
  });
});

describe('a CN-only certificate (no subjectAltName)', () => {
  it("passes Node's name check (CN fallback) but has no DNS SAN: pkix, never mta-sts; pinned is qualified", async () => {
    const s = await server(cnOnly);
    const facts = await factsOf(s, bsiTlsOptions(), cnOnly.fingerprint256);
    expect(facts).toMatchObject({ chainValid: true, nameValid: true, dnsSanMatch: false, peerKeyBits: 3072 });
    expect(assessTier({ ...facts, fingerprintPinned: false })).toMatchObject({
      tier: 'encrypted',
      authentication: 'pkix',
    });
    expect(assessTier({ ...facts, fingerprintPinned: false, ...MTA_STS })).toMatchObject({
      tier: 'encrypted',
      authentication: 'pkix',
      reasons: [{ code: 'not_authenticated' }, { code: 'no_dns_san' }],
    });
    expect(assessTier(facts)).toMatchObject({ tier: 'qualified', authentication: 'pinned' });
  });
});

describe('TLS 1.2 DHE with the finite-field group the server chooses', () => {
  // OpenSSL's `dhparam: 'auto'` sizes the group after the server key: 3072 bits for a 3072-bit key.
  const dhe = { maxVersion: 'TLSv1.2', ciphers: 'DHE-RSA-AES128-GCM-SHA256', dhparam: 'auto' } as const;

  it('connects with the profile (a client cannot choose a TLS 1.2 DH group) and judges the group by its size', async () => {
    const s = await server(strong, dhe);
    const facts = await factsOf(s, bsiTlsOptions(), strong.fingerprint256);
    expect(facts).toMatchObject({
      cipher: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
      groupType: 'DH',
      groupBits: 3072,
    });
    expect(assessTier(facts)).toMatchObject({ tier: 'qualified', authentication: 'pinned' });
  });

  it('puts a 2048-bit group (and a 2048-bit key) outside the profile', async () => {
    const rsa2048 = ca.issue({ names: [NAME] });
    const s = await server(rsa2048, dhe);
    const facts = await factsOf(s, bsiTlsOptions(), rsa2048.fingerprint256);
    expect(facts).toMatchObject({ groupType: 'DH', groupBits: 2048, peerKeyBits: 2048 });
    expect(assessTier(facts).reasons.map((r) => r.text)).toEqual([
      'outside_bsi_profile: group DH 2048 bits',
      'outside_bsi_profile: peer key rsa 2048 bits',
    ]);
  });
});
