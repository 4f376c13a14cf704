import { createHash, X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, startTestMx, type TestMx } from '../../src/testing/index.js';
import { type DnssecStack, dnssecGate, startDnssecStack, type ZoneRecord } from '../support/dnssec-stack.js';
import { cli, tempDir } from './helpers.js';

// `forced-tls check --dnssec-server` against the real DNSSEC stack: zones signed by ldns-signzone,
// served by nsd, validated by unbound. The MX names and addresses come from the --dns-fixture (which
// agrees with the signed zones); TLSA, MX and address security come from unbound. The MX servers log
// what they receive before and after TLS.

const gate = dnssecGate();

// The `3 1 1` data of a certificate, computed here with node:crypto rather than by the code under test.
function spkiSha256(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

const HOSTS = {
  'ee.dane.test': 'mx.ee.dane.test',
  'wrong.dane.test': 'mx.wrong.dane.test',
  'unusable.dane.test': 'mx.unusable.dane.test',
  'denied.dane.test': 'mx.denied.dane.test',
  'tlsabad.dane.test': 'mx.bogus.test',
  'plain.test': 'mx.plain.test',
} as const;

describe.skipIf(!gate.available)('forced-tls check: DANE per MX against nsd + unbound', () => {
  let stack: DnssecStack;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let fixture: string;
  const mx: Record<string, TestMx> = {};
  // Self-signed, RSA-3072 (within the BSI profile): only DANE-EE can authenticate it.
  const ee = createSelfSignedCertificate({ names: ['mx.ee.dane.test'], keyBits: 3072 });

  beforeAll(async () => {
    tmp = await tempDir();
    for (const host of new Set(Object.values(HOSTS))) {
      mx[host] = await startTestMx({ name: host, ...(host === 'mx.ee.dane.test' ? { tls: ee } : {}) });
    }
    const a = (host: string): ZoneRecord => ({ name: host, type: 'A', value: '127.0.0.1' });
    const tlsa = (host: string, value: string): ZoneRecord => ({
      name: `_25._tcp.${host}`,
      type: 'TLSA',
      value,
    });
    const mxOf = (label: string): ZoneRecord => ({
      name: label,
      type: 'MX',
      value: `10 ${HOSTS[`${label}.dane.test` as keyof typeof HOSTS]}`,
    });
    stack = await startDnssecStack([
      {
        name: 'dane.test',
        signed: true,
        records: [
          mxOf('ee'),
          a('mx.ee.dane.test'),
          tlsa('mx.ee.dane.test', `3 1 1 ${spkiSha256(ee.cert)}`),
          mxOf('wrong'),
          a('mx.wrong.dane.test'),
          tlsa('mx.wrong.dane.test', `3 1 1 ${'00'.repeat(32)}`),
          mxOf('unusable'),
          a('mx.unusable.dane.test'),
          tlsa('mx.unusable.dane.test', `1 1 1 ${'22'.repeat(32)}`),
          mxOf('denied'),
          a('mx.denied.dane.test'),
          mxOf('tlsabad'),
        ],
      },
      {
        name: 'bogus.test',
        signed: true,
        records: [
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
          { name: '_25._tcp.mx', type: 'TLSA', value: `3 1 1 ${'33'.repeat(32)}` },
        ],
      },
    ]);
    fixture = tmp.path('dns.json');
    await writeFile(
      fixture,
      JSON.stringify({
        domains: Object.fromEntries(Object.entries(HOSTS).map(([d, host]) => [d, { mx: [host] }])),
        hosts: Object.fromEntries(Object.entries(mx).map(([name, s]) => [name, `${s.host}:${s.port}`])),
      }),
    );
  }, 30_000);
  afterAll(async () => {
    await Promise.all(Object.values(mx).map((s) => s.close()));
    await stack?.stop();
    await tmp?.cleanup();
  });

  const check = (...args: string[]) =>
    cli([
      'check',
      '--dns-fixture',
      fixture,
      '--dnssec-server',
      stack.resolver,
      '--ehlo-name',
      'client.test',
      '--timeout',
      '3000',
      ...args,
    ]);

  const expectProbeOnly = () => {
    for (const server of Object.values(mx)) {
      expect(server.commands().filter((v) => ['MAIL', 'RCPT', 'DATA', 'AUTH'].includes(v))).toEqual([]);
      expect(server.commandsBeforeTls().filter((v) => !['EHLO', 'STARTTLS', 'QUIT'].includes(v))).toEqual([]);
    }
  };

  it('DANE-EE: the DNSSEC status of MX, address and TLSA, the record, the match, qualified by DANE although self-signed', async () => {
    const r = await check('--level', 'qualified', 'ee.dane.test');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // A DANE-authenticated session meets verify too: DANE-EE checks neither chain nor name (RFC 7672 §3.1).
    expect(r.stdout).toMatch(
      /^ee\.dane\.test {2}OK for qualified {2}\(satisfies: encrypt, verify, qualified\)\n/,
    );
    expect(r.stdout).toContain(`  DNSSEC     MX RRset secure (${stack.resolver})\n`);
    expect(r.stdout).toMatch(/status\s+cert_invalid\n/); // no PKIX chain: DANE-EE needs none
    expect(r.stdout).toMatch(
      /DANE {8}dane_required \(usable_tlsa\); DNSSEC MX secure, address secure, TLSA secure\n/,
    );
    expect(r.stdout).toContain(`TLSA 3 1 1 ${spkiSha256(ee.cert)} usable\n`);
    expect(r.stdout).toMatch(/ {16}matched DANE-EE 3 1 1\n/);
    expect(r.stdout).toMatch(/ {16}a DANE sender delivers: server authenticated by DANE\n/);
    expect(r.stdout).toMatch(/tier {8}qualified \(dane\)\n/);
    expect(r.stdout).toMatch(/level {7}meets qualified\n/);
    expect(r.stdout).toMatch(/best tier {2}qualified \(dane\), decided by mx\.ee\.dane\.test\n/);
    expectProbeOnly();
  });

  it('a TLSA record that matches nothing: refused with EDANEMISMATCH even at encrypt (exit 2)', async () => {
    const r = await check('wrong.dane.test');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('wrong.dane.test  FAIL for encrypt  (satisfies: none)');
    expect(r.stdout).toMatch(/no match: no_match \(tlsa-invalid\): /);
    expect(r.stdout).toMatch(/a DANE sender does not deliver: EDANEMISMATCH \(transient, tlsa-invalid\)/);
    expect(r.stdout).toMatch(/level {7}fails encrypt: EDANEMISMATCH \(dane_mismatch\)\n/);
    const compact = await check('--compact', 'wrong.dane.test');
    expect(compact.stdout.split('\n')[0]).toBe(
      'FAIL     wrong.dane.test  encrypt  tier unknown  mx.wrong.dane.test EDANEMISMATCH',
    );
  });

  it('a bogus TLSA RRset defers the host (EDNSSEC), never read as "no TLSA": a finding, exit 2', async () => {
    const r = await check('--level', 'verify', 'tlsabad.dane.test');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /DANE {8}deferred \(tlsa_failed\); DNSSEC MX secure, address secure, TLSA bogus\n/,
    );
    expect(r.stdout).toMatch(/a DANE sender does not deliver: EDNSSEC \(transient, dnssec-invalid\)/);
    expect(r.stdout).toMatch(/level {7}fails verify: EDNSSEC \(dnssec_failed\)\n/);
  });

  it('unusable TLSA records: TLS mandatory without authentication; no TLSA: the local level decides', async () => {
    const unusable = await check('unusable.dane.test');
    expect(unusable.code).toBe(0);
    expect(unusable.stdout).toMatch(/DANE {8}tls_required \(unusable_tlsa\)/);
    expect(unusable.stdout).toMatch(/TLSA 1 1 1 2{64} unusable \(pkix_usage\)\n/);
    expect(unusable.stdout).toContain('a DANE sender delivers over TLS, unauthenticated (TLS mandatory)');
    const denied = await check('denied.dane.test');
    expect(denied.code).toBe(0);
    expect(denied.stdout).toMatch(
      /DANE {8}no_dane \(tlsa_denied\); DNSSEC MX secure, address secure, TLSA secure\n/,
    );
    expect(denied.stdout).toContain('no DANE for this host: the local policy and MTA-STS decide');
  });

  it('an unsigned zone that carries TLSA: DANE not applied', async () => {
    const r = await check('plain.test');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  DNSSEC     MX RRset insecure (${stack.resolver})\n`);
    expect(r.stdout).toMatch(/DANE {8}no_dane \(mx_insecure\); DNSSEC MX insecure, address -, TLSA -\n/);
  });

  it('--level dane and dane-only: usable TLSA must match; dane-only refuses a host without them (EDANEREQUIRED)', async () => {
    expect((await check('--level', 'dane', 'ee.dane.test', 'denied.dane.test')).code).toBe(0);
    expect((await check('--level', 'dane', 'wrong.dane.test')).code).toBe(2);
    const only = await check('--level', 'dane-only', '--compact', 'ee.dane.test', 'denied.dane.test');
    expect(only.code).toBe(2);
    expect(only.stdout).toContain(
      'FAIL     denied.dane.test  dane-only  tier encrypted  mx.denied.dane.test EDANEREQUIRED',
    );
    expect(only.stdout).toMatch(
      /^OK {7}ee\.dane\.test {2}dane-only {2}tier qualified {2}mx\.ee\.dane\.test TLSv1\.[23]$/m,
    );
  });

  it('--json carries the DNSSEC MX status, each host DANE report and the level check', async () => {
    const json = JSON.parse(
      (await check('--json', '--level', 'dane-only', 'ee.dane.test', 'denied.dane.test')).stdout,
    );
    const [ok, denied] = json.domains;
    expect(ok).toMatchObject({
      verdict: 'ok',
      check: { ok: true },
      dane: { status: 'checked', mx: 'secure', server: stack.resolver },
      tier: { tier: 'qualified', authentication: 'dane' },
      hosts: [
        {
          dane: {
            status: 'dane_required',
            match: { matched: true, usage: 'dane-ee' },
            verdict: { ok: true, authentication: 'dane' },
          },
          tier: { tier: 'qualified', authentication: 'dane' },
          check: { ok: true },
        },
      ],
    });
    expect(denied.check).toMatchObject({
      ok: false,
      code: 'EDANEREQUIRED',
      reason: 'dane_required',
      failing: ['mx.denied.dane.test'],
    });
  });
});
