import { afterEach, describe, expect, it } from 'vitest';
import { checkDomainLevel, createProber, probeDomain } from '../../src/probe/index.js';
import { createSelfSignedCertificate, defaultTestCa, type TestMxOptions } from '../../src/testing/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { expectProbeOnly, type MtaStsWorld, mtaStsWorld, optionsFor, strongCertificate } from './helpers.js';

// The BSI TR-02102-2 cases of issue 11 against test MX servers on loopback, seen through the probe:
// what it offered, what it judged, the tier, and what the server logged before and after TLS.

const MX = 'mx.mandant.test';
const ENFORCE = policyText('enforce', [MX]);
let world: MtaStsWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function probe(options: TestMxOptions, policy?: string, extra: Parameters<typeof optionsFor>[1] = {}) {
  world = await mtaStsWorld({ hosts: { [MX]: options }, ...(policy === undefined ? {} : { policy }) });
  const result = await probeDomain('mandant.test', optionsFor(world.network, extra));
  return { result, host: result.hosts[0]!, mx: world.mx[MX]! };
}

const strong = () => strongCertificate(MX);
const tls12Gcm = () =>
  ({ ...strong(), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }) as const;

describe('the probe judges every host against the BSI profile', () => {
  it('TLS 1.2 ECDHE-RSA-AES128-GCM with RSA-3072 under an enforce policy: qualified (mta-sts), one connection', async () => {
    const { result, host, mx } = await probe({ tls: tls12Gcm() }, ENFORCE);
    expect(host.bsi).toMatchObject({
      within: true,
      shortfalls: [],
      handshake: 'profile',
      protocol: 'TLSv1.2',
      cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      group: 'secp256r1',
      keyType: 'rsa',
      keyBits: 3072,
    });
    expect(host.bsi).not.toHaveProperty('profileError');
    expect(host.tier).toEqual({
      tier: 'qualified',
      authentication: 'mta-sts',
      proven: ['mta-sts', 'pkix'],
      reasons: [],
    });
    expect(result.tier).toMatchObject({
      tier: 'qualified',
      authentication: 'mta-sts',
      weakest: MX,
      reasons: [],
    });
    expect(result.satisfies).toEqual({ encrypt: true, verify: true, qualified: true });
    expect(mx.connections).toBe(1);
    expect(mx.handshakes).toMatchObject([{ ok: true, protocol: 'TLSv1.2', servername: MX }]);
    expect(mx.commandsBeforeTls()).toEqual(['EHLO', 'STARTTLS']);
    expect(mx.commands('tls')).toEqual(['EHLO', 'QUIT']);
    expectProbeOnly(mx);
  });

  it('the same host without MTA-STS: encrypted, because PKIX alone authenticates nothing', async () => {
    const { result, host } = await probe({ tls: tls12Gcm() });
    expect(host.bsi?.within).toBe(true);
    expect(host.tier).toMatchObject({
      tier: 'encrypted',
      authentication: 'pkix',
      reasons: [{ code: 'not_authenticated' }],
    });
    expect(result.tier?.reasons).toEqual([
      {
        code: 'not_authenticated',
        text: 'not_authenticated: pkix only (the MX name came from unauthenticated DNS)',
        host: MX,
      },
    ]);
    expect(result.satisfies.qualified).toBe(false);
  });

  it('an RSA-1024 certificate: the handshake within the profile succeeds, the key is judged on the result', async () => {
    const weak = defaultTestCa().issue({ names: [MX], keyBits: 1024 });
    const { host, mx } = await probe({ tls: { key: weak.key, cert: weak.cert } }, ENFORCE);
    expect(host.status).toBe('starttls_ok');
    expect(host.bsi).toMatchObject({
      within: false,
      handshake: 'profile',
      keyBits: 1024,
      shortfalls: [{ aspect: 'peer_key', value: 'rsa 1024 bits', text: 'RSA below 3000 bits (Table 13)' }],
    });
    // Authenticated by MTA-STS, and still only encrypted: the key is outside the profile.
    expect(host.tier).toMatchObject({
      tier: 'encrypted',
      authentication: 'mta-sts',
      reasons: [{ code: 'outside_bsi_profile', text: 'outside_bsi_profile: peer key rsa 1024 bits' }],
    });
    expect(mx.connections).toBe(1);
    expectProbeOnly(mx);
  });

  it('only AES128-SHA: the profile-only handshake is refused, a second connection shows the suite outside the profile', async () => {
    const { result, host, mx } = await probe({
      tls: { ...strong(), maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA' },
    });
    expect(host).toMatchObject({ status: 'starttls_ok', protocol: 'TLSv1.2', cipher: 'AES128-SHA' });
    expect(host.bsi).toMatchObject({
      within: false,
      handshake: 'default',
      profileError: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' },
      cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA',
      shortfalls: [{ aspect: 'cipher', value: 'TLS_RSA_WITH_AES_128_CBC_SHA' }],
    });
    expect(host.bsi).not.toHaveProperty('group'); // no ephemeral key exchange: not forward secret
    expect(host.tier?.reasons.map((r) => r.code)).toEqual(['outside_bsi_profile', 'not_authenticated']);
    // The TLS verdict is that of the session that came about: trusted and for the MX name.
    expect(result.satisfies).toEqual({ encrypt: true, verify: true, qualified: false });
    expect(mx.connections).toBe(2);
    expect(mx.handshakes.map((h) => h.ok)).toEqual([false, true]);
    expectProbeOnly(mx);
  });

  it('a TLS 1.3 server offering only CHACHA20-POLY1305: refused within the profile, judged outside Table 12', async () => {
    const { host, mx } = await probe(
      { tls: { ...strong(), minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' } },
      ENFORCE,
    );
    expect(host.bsi).toMatchObject({
      handshake: 'default',
      protocol: 'TLSv1.3',
      cipher: 'TLS_CHACHA20_POLY1305_SHA256',
    });
    expect(host.bsi?.shortfalls).toContainEqual({
      aspect: 'cipher',
      value: 'TLS_CHACHA20_POLY1305_SHA256',
      text: 'not a TLS 1.3 suite of Table 12',
    });
    expect(host.tier).toMatchObject({ tier: 'encrypted', authentication: 'mta-sts' });
    expect(mx.connections).toBe(2);
  });

  it('bsiProfile: false offers Node defaults only: X25519 is negotiated and judged outside the profile', async () => {
    const { host, mx } = await probe({ tls: tls12Gcm() }, ENFORCE, { bsiProfile: false });
    expect(host.bsi).toMatchObject({ handshake: 'default', group: 'x25519', within: false });
    expect(host.bsi?.shortfalls).toEqual([
      { aspect: 'group', value: 'x25519', text: 'not a group of Table 5 (TLS 1.2) or Table 9 (TLS 1.3)' },
    ]);
    expect(host.tier).toMatchObject({ tier: 'encrypted', authentication: 'mta-sts' });
    expect(mx.connections).toBe(1);
  });

  it('a CN-only certificate under enforce: no DNS subjectAltName, so MTA-STS refuses the host (EMTASTS)', async () => {
    const cnOnly = defaultTestCa().issue({ names: [MX], keyBits: 3072, commonNameOnly: true });
    const { result, host } = await probe({ tls: { key: cnOnly.key, cert: cnOnly.cert } }, ENFORCE);
    expect(host.status).toBe('starttls_ok'); // Node's own name check accepts the common name
    expect(host.facts).toMatchObject({ nameValid: true, dnsSanMatch: false });
    expect(host.mtaSts).toMatchObject({
      mode: 'enforce',
      mxMatched: true,
      verdict: 'certificate_invalid',
      refuses: true,
    });
    expect(host.refused).toMatchObject({
      by: 'mta-sts',
      code: 'EMTASTS',
      transient: true,
      tlsRpt: 'certificate-host-mismatch',
    });
    expect(host.tier?.reasons.map((r) => r.code)).toEqual(['not_authenticated', 'no_dns_san']);
    expect(result.tier).toMatchObject({ tier: 'unknown', usable: [], skipped: [MX] });
    expect(result.tier?.reasons.map((r) => r.code)).toEqual(['no_hosts', 'host_skipped']);
  });
});

describe('checkDomainLevel at qualified judges the tier', () => {
  it('passes a qualified host and refuses an encrypted one with ENOTQUALIFIED and its reasons', async () => {
    world = await mtaStsWorld({ hosts: { [MX]: { tls: tls12Gcm() } }, policy: ENFORCE });
    const prober = createProber(optionsFor(world.network));
    expect(await checkDomainLevel(prober, 'mandant.test', 'qualified')).toMatchObject({
      ok: true,
      failing: [],
    });
    await world.close();

    world = await mtaStsWorld({ hosts: { [MX]: { tls: tls12Gcm() } } });
    const check = await checkDomainLevel(
      createProber(optionsFor(world.network)),
      'mandant.test',
      'qualified',
    );
    expect(check).toMatchObject({
      ok: false,
      reason: 'not_qualified',
      code: 'ENOTQUALIFIED',
      transient: false,
      detail: 'mx.mandant.test: not_authenticated: pkix only (the MX name came from unauthenticated DNS)',
    });
    expect(check.failing.map((h) => h.host)).toEqual([MX]);
  });

  it('a pinned certificate authenticates the server: qualified with the rule’s pins, even self-signed', async () => {
    const selfSigned = createSelfSignedCertificate({ names: [MX], keyBits: 3072 });
    const tls = { ...tls12Gcm(), key: selfSigned.key, cert: selfSigned.cert };
    world = await mtaStsWorld({ hosts: { [MX]: { tls } } });
    const prober = createProber(optionsFor(world.network));
    const pin = selfSigned.fingerprint256.replace(/:/g, '').toLowerCase();
    expect((await prober.probe('mandant.test')).hosts[0]).toMatchObject({ status: 'cert_invalid' });
    expect(await checkDomainLevel(prober, 'mandant.test', 'qualified', [pin])).toMatchObject({ ok: true });
    expect(await checkDomainLevel(prober, 'mandant.test', 'qualified', ['AB'.repeat(32)])).toMatchObject({
      ok: false,
      reason: 'not_qualified',
    });
  });
});
