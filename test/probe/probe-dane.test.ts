import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnssecResolver, type DnssecResolver } from '../../src/dnssec/index.js';
import { checkDomainLevel, createProber, type ProberOptions } from '../../src/probe/index.js';
import {
  createTestCa,
  createTestNetwork,
  startTestMx,
  startTestPolicyHost,
  type TestMx,
  type TestNetwork,
  type TestPolicyHost,
} from '../../src/testing/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { type DnssecStack, dnssecGate, mxDomainRecords, startDnssecStack } from '../support/dnssec-stack.js';
import {
  ecCertificate,
  opensslCertSha256,
  opensslGate,
  opensslSpkiSha256,
} from '../support/openssl-certificates.js';
import { tempDir } from '../support/system-servers.js';
import { expectProbeOnly, NORMAL } from './helpers.js';

// DANE in the probe against the real DNSSEC stack: zones signed by ldns-signzone, served by nsd,
// validated by unbound; the MX hosts are test MX servers that log what they receive before and after
// TLS. The host names come from an injected plain resolver that agrees with the signed zones.

const gate = dnssecGate();
const openssl = opensslGate();
const ca = createTestCa({ commonName: 'probe DANE-TA CA' });

describe.skipIf(!gate.available || !openssl.available)('DANE in the probe (nsd + unbound)', () => {
  let stack: DnssecStack;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let dnssec: DnssecResolver;
  let network: TestNetwork;
  let policyHost: TestPolicyHost;
  const mx: Record<string, TestMx> = {};

  const MX_OF: Record<string, string> = {
    'ee.dane.test': 'mx.ee.dane.test',
    'ta.dane.test': 'mx.ta.dane.test',
    'wrong.dane.test': 'mx.wrong.dane.test',
    'tlsabad.dane.test': 'mx.bogus.test',
    'bogus.test': 'mx.bogus.test',
    'plain.test': 'mx.plain.test',
  };
  const domain = mxDomainRecords;

  beforeAll(async () => {
    dir = await tempDir('probe-dane');
    const ec = ecCertificate(dir.path, 'mx.ee.dane.test');
    const plainEc = ecCertificate(dir.path, 'mx.plain.test');
    const taLeaf = ca.issue({ names: ['mx.ta.dane.test'] });
    mx['mx.ee.dane.test'] = await startTestMx({ name: 'mx.ee.dane.test', tls: ec });
    mx['mx.ta.dane.test'] = await startTestMx({
      name: 'mx.ta.dane.test',
      tls: { key: taLeaf.key, cert: taLeaf.cert + ca.cert },
    });
    mx['mx.wrong.dane.test'] = await startTestMx({ name: 'mx.wrong.dane.test' });
    mx['mx.bogus.test'] = await startTestMx({ name: 'mx.bogus.test' });
    mx['mx.plain.test'] = await startTestMx({ name: 'mx.plain.test', tls: plainEc });
    policyHost = await startTestPolicyHost({
      policies: { 'wrong.dane.test': policyText('enforce', ['mx.wrong.dane.test']) },
    });
    stack = await startDnssecStack([
      {
        name: 'dane.test',
        signed: true,
        records: [
          ...domain('ee', 'mx.ee.dane.test', [`3 1 1 ${opensslSpkiSha256(ec.cert)}`]),
          ...domain('ta', 'mx.ta.dane.test', [`2 0 1 ${opensslCertSha256(ca.cert)}`]),
          ...domain('wrong', 'mx.wrong.dane.test', [`3 1 1 ${'00'.repeat(32)}`]),
          ...domain('tlsabad', 'mx.bogus.test'),
        ],
      },
      {
        name: 'bogus.test',
        signed: true,
        records: [
          { name: '@', type: 'MX', value: '10 mx.bogus.test', tamper: true },
          { name: 'mx', type: 'A', value: '127.0.0.1' },
          { name: '_25._tcp.mx', type: 'TLSA', value: `3 1 1 ${'11'.repeat(32)}`, tamper: true },
        ],
      },
      {
        name: 'plain.test',
        signed: false,
        records: [
          { name: '@', type: 'MX', value: '10 mx.plain.test' },
          { name: 'mx', type: 'A', value: '127.0.0.1' },
          { name: '_25._tcp.mx', type: 'TLSA', value: `3 1 1 ${opensslSpkiSha256(plainEc.cert)}` },
        ],
      },
    ]);
    dnssec = createDnssecResolver({ servers: [stack.resolver] });
    network = createTestNetwork({
      domains: {
        ...Object.fromEntries(Object.entries(MX_OF).map(([d, host]) => [d, { mx: [host] }])),
        '_mta-sts.wrong.dane.test': { txt: ['v=STSv1; id=1'] },
      },
      hosts: { ...mx, 'mta-sts.wrong.dane.test': policyHost },
    });
  });
  afterAll(async () => {
    await network?.close();
    await policyHost?.close();
    await stack?.stop();
    await dir?.remove();
  });

  const options = (extra: ProberOptions = {}): ProberOptions => ({
    resolver: network.resolver,
    connect: network.connect,
    ca: [network.ca.cert, ca.cert],
    ehloName: 'probe.kanzlei.test',
    timeouts: NORMAL,
    dnssec,
    ...extra,
  });

  it('DANE-EE 3 1 1 with an EC key: matched, authenticated by DANE, qualified although self-signed', async () => {
    const prober = createProber(options());
    const result = await prober.probe('ee.dane.test');
    expect(result.dane).toEqual({
      status: 'checked',
      mx: 'secure',
      mxKind: 'records',
      mxHosts: ['mx.ee.dane.test'],
      server: stack.resolver,
    });
    const host = result.hosts[0]!;
    expect(host.status).toBe('cert_invalid'); // no PKIX chain: DANE-EE needs none
    expect(host.dane).toMatchObject({
      status: 'dane_required',
      reason: 'usable_tlsa',
      dnssec: { mx: 'secure', address: 'secure', tlsa: 'secure' },
      tlsaName: '_25._tcp.mx.ee.dane.test',
      tlsa: [{ usage: 3, selector: 1, matchingType: 1, usable: true, usability: 'usable' }],
      match: {
        matched: true,
        usage: 'dane-ee',
        depth: 0,
        record: { usage: 3, selector: 1, matchingType: 1 },
      },
      verdict: { ok: true, authentication: 'dane', fallback: false },
    });
    expect(host.bsi).toMatchObject({
      within: true,
      keyType: 'ec',
      keyCurve: 'secp256r1',
      group: 'secp256r1',
    });
    expect(host.tier).toEqual({ tier: 'qualified', authentication: 'dane', proven: ['dane'], reasons: [] });
    expect(host).not.toHaveProperty('refused');
    expect(result.tier).toMatchObject({ tier: 'qualified', authentication: 'dane', reasons: [] });
    expect(result.satisfies.qualified).toBe(true);
    expect(await checkDomainLevel(prober, 'ee.dane.test', 'qualified')).toMatchObject({ ok: true });
    expectProbeOnly(mx['mx.ee.dane.test']!);
  });

  it('DANE-TA 2 0 1, leaf + CA sent: matched at depth 1 for the MX name', async () => {
    const result = await createProber(options()).probe('ta.dane.test');
    expect(result.hosts[0]?.dane).toMatchObject({
      match: { matched: true, usage: 'dane-ta', depth: 1, name: 'mx.ta.dane.test', record: { usage: 2 } },
      verdict: { ok: true, authentication: 'dane' },
    });
    expect(result.hosts[0]?.tier?.authentication).toBe('dane');
  });

  it('a TLSA record that matches nothing: refused (EDANEMISMATCH), and DANE takes precedence over MTA-STS', async () => {
    const prober = createProber(options());
    const result = await prober.probe('wrong.dane.test');
    const host = result.hosts[0]!;
    expect(result.mtaSts).toMatchObject({ mode: 'enforce', matching: ['mx.wrong.dane.test'] });
    expect(host.mtaSts).toMatchObject({ verdict: 'ok' });
    expect(host.dane).toMatchObject({
      status: 'dane_required',
      match: { matched: false, reason: 'no_match', tlsRpt: 'tlsa-invalid' },
      verdict: { ok: false, code: 'EDANEMISMATCH', transient: true, tlsRpt: 'tlsa-invalid' },
    });
    expect(host.refused).toMatchObject({ by: 'dane', code: 'EDANEMISMATCH', transient: true });
    // The valid PKIX certificate and the MTA-STS policy do not authenticate where DANE decides.
    expect(host.facts).not.toHaveProperty('mtaStsMode');
    expect(host.tier).toMatchObject({ tier: 'encrypted', authentication: 'pkix' });
    expect(host.tier?.reasons.map((r) => r.code)).toContain('dane_mismatch');
    expect(result.tier).toMatchObject({ tier: 'unknown', skipped: ['mx.wrong.dane.test'] });
    expect(await checkDomainLevel(prober, 'wrong.dane.test', 'verify')).toMatchObject({
      ok: false,
      reason: 'dane_mismatch',
      code: 'EDANEMISMATCH',
      transient: true,
    });
    expectProbeOnly(mx['mx.wrong.dane.test']!);
  });

  it('a bogus TLSA RRset: the host is deferred (EDNSSEC), never read as "no TLSA"', async () => {
    const prober = createProber(options());
    const result = await prober.probe('tlsabad.dane.test');
    const host = result.hosts[0]!;
    expect(host.dane).toMatchObject({
      status: 'deferred',
      reason: 'tlsa_failed',
      dnssec: { mx: 'secure', address: 'secure', tlsa: 'bogus' },
      tlsa: [],
      verdict: { ok: false, code: 'EDNSSEC', transient: true, tlsRpt: 'dnssec-invalid' },
    });
    expect(host).not.toHaveProperty('dane.match');
    expect(host.refused).toMatchObject({ by: 'dane', code: 'EDNSSEC', tlsRpt: 'dnssec-invalid' });
    expect(host.tier?.reasons.map((r) => r.code)).toContain('dnssec_failed');
    expect(await checkDomainLevel(prober, 'tlsabad.dane.test', 'encrypt')).toMatchObject({
      ok: false,
      reason: 'dnssec_failed',
      code: 'EDNSSEC',
      transient: true,
    });
  });

  it('a bogus MX RRset: every host is deferred', async () => {
    const result = await createProber(options()).probe('bogus.test');
    expect(result.dane).toMatchObject({ status: 'checked', mx: 'bogus', mxHosts: [] });
    expect(result.hosts[0]?.dane).toMatchObject({
      status: 'deferred',
      reason: 'mx_failed',
      dnssec: { mx: 'bogus' },
    });
    expect(result.hosts[0]?.refused?.code).toBe('EDNSSEC');
  });

  it('an insecure (unsigned) zone that carries TLSA: DANE not applied, TLSA not looked up', async () => {
    const result = await createProber(options()).probe('plain.test');
    expect(result.dane).toMatchObject({ mx: 'insecure' });
    expect(result.hosts[0]?.dane).toEqual({
      status: 'no_dane',
      reason: 'mx_insecure',
      dnssec: { mx: 'insecure' },
      tlsa: [],
      verdict: { ok: true, authentication: 'none', fallback: true },
      message: expect.any(String),
    });
    expect(result.hosts[0]?.tier).toMatchObject({ authentication: 'none' }); // self-signed, no DANE
    expect(result.hosts[0]).not.toHaveProperty('refused');
  });

  it('without a DNSSEC resolver DANE is off and said to be', async () => {
    const { dnssec: _off, ...withoutDnssec } = options();
    const result = await createProber(withoutDnssec).probe('wrong.dane.test');
    expect(result.dane).toEqual({ status: 'off' });
    expect(result.hosts[0]).not.toHaveProperty('dane');
    // Without DANE the enforce policy authenticates the host.
    expect(result.hosts[0]?.tier?.authentication).toBe('mta-sts');
  });

  it('level dane-only without usable TLSA records fails with dane_required / EDANEREQUIRED, also where MTA-STS applies', async () => {
    const insecure = await checkDomainLevel(createProber(options()), 'plain.test', 'dane-only');
    expect(insecure).toMatchObject({
      ok: false,
      reason: 'dane_required',
      code: 'EDANEREQUIRED',
      transient: true,
    });
    expect(insecure.detail).toContain('no usable DNSSEC-validated TLSA record: DANE no_dane (mx_insecure)');
    const { dnssec: _off, ...withoutDnssec } = options();
    const stsOnly = await checkDomainLevel(createProber(withoutDnssec), 'wrong.dane.test', 'dane-only');
    expect(stsOnly).toMatchObject({ ok: false, reason: 'dane_required', code: 'EDANEREQUIRED' });
    expect(stsOnly.detail).toContain('DANE not checked');
  });
});
