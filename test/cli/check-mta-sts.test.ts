import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultTestCa,
  startTestMx,
  startTestPolicyHost,
  type TestMx,
  type TestPolicyHost,
} from '../../src/testing/index.js';
import { cli, tempDir } from './helpers.js';

// `forced-tls check` with MTA-STS, offline: TXT records from the --dns-fixture, the policies from a
// loopback HTTPS policy host (startTestPolicyHost, the test CA given with --ca) that mta-sts.<domain>
// is routed to, and test MX servers that log what they receive before and after TLS.

const policy = (mode: string, mx: string[], maxAge = 604_800) =>
  `version: STSv1\nmode: ${mode}\n${mx.map((m) => `mx: ${m}\n`).join('')}max_age: ${maxAge}\n`;

describe('forced-tls check: MTA-STS, BSI profile and tier (offline)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let policyHost: TestPolicyHost;
  let fixture: string;
  let ca: string;
  const mx: Record<string, TestMx> = {};
  // RSA-3072: within the BSI profile (the default test certificates have 2048 bits, outside it).
  const strong = (name: string) => defaultTestCa().issue({ names: [name], keyBits: 3072 });

  beforeAll(async () => {
    tmp = await tempDir();
    mx['mx1.mandant.test'] = await startTestMx({ name: 'mx1.mandant.test', tls: strong('mx1.mandant.test') });
    mx['mx3.mandant.test'] = await startTestMx({ name: 'mx3.mandant.test' });
    mx['mx.qualified.test'] = await startTestMx({
      name: 'mx.qualified.test',
      tls: strong('mx.qualified.test'),
    });
    policyHost = await startTestPolicyHost({
      policies: {
        'mandant.test': policy('enforce', ['mx1.mandant.test']),
        'qualified.test': policy('enforce', ['*.qualified.test'], 86_400),
        'testing.test': policy('testing', ['other.testing.test'], 86_400),
        'broken.test': { status: 404, body: 'not here' },
        'stall.test': { stall: 'response' },
      },
    });
    const at = (s: { host: string; port: number }) => `${s.host}:${s.port}`;
    const withPolicy = (domain: string, hosts: string[], id = '1') => ({
      [domain]: { mx: hosts },
      [`_mta-sts.${domain}`]: { txt: [`v=STSv1; id=${id}`] },
    });
    fixture = tmp.path('dns.json');
    await writeFile(
      fixture,
      JSON.stringify({
        domains: {
          ...withPolicy('mandant.test', ['mx1.mandant.test', 'mx3.mandant.test'], '20270101'),
          ...withPolicy('qualified.test', ['mx.qualified.test']),
          ...withPolicy('testing.test', ['mx3.mandant.test']),
          ...withPolicy('broken.test', ['mx3.mandant.test']),
          ...withPolicy('stall.test', ['mx3.mandant.test']),
          'evil.test': { mx: ['mx3.mandant.test'] },
          '_mta-sts.evil.test': { txt: ['v=STSv1; id=\u001b[2J\u202e'] },
          'slowtxt.test': { mx: ['mx3.mandant.test'] },
          '_mta-sts.slowtxt.test': 'no-answer',
          'slowmx.test': 'no-answer',
        },
        hosts: {
          ...Object.fromEntries(Object.entries(mx).map(([name, s]) => [name, at(s)])),
          ...Object.fromEntries(
            ['mandant', 'qualified', 'testing', 'broken', 'stall'].map((d) => [
              `mta-sts.${d}.test`,
              at(policyHost),
            ]),
          ),
        },
      }),
    );
    ca = tmp.path('ca.pem');
    await writeFile(ca, defaultTestCa().cert);
  });
  afterAll(async () => {
    await Promise.all(Object.values(mx).map((s) => s.close()));
    await policyHost?.close();
    await tmp?.cleanup();
  });

  const check = (...args: string[]) =>
    cli([
      'check',
      '--dns-fixture',
      fixture,
      '--ca',
      ca,
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
      expect(server.messages).toEqual([]);
    }
  };

  it('enforce: id, max_age, patterns and matches; a listed host qualified, an unlisted one refused (EMTASTS); the deciding host', async () => {
    const before = policyHost.requestsFor('mandant.test').length;
    const r = await check('mandant.test');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2); // a host the recipient's own policy refuses: the domain fails, as check-mx does
    expect(r.stdout).toContain(
      [
        '  MTA-STS    enforce (fetched, id 20270101, max_age 604800 s)',
        '             mx patterns: mx1.mandant.test',
        '             matching: mx1.mandant.test; not listed: mx3.mandant.test',
        '  DNSSEC     off: DANE not checked (no --dnssec-server)',
        '  MX mx1.mandant.test (preference 10)',
      ].join('\n'),
    );
    const [mx1, mx3] = r.stdout.split(/\n {2}MX (?=\S+ \(preference)/).slice(1);
    expect(mx1).toMatch(/BSI {9}within \(TLSv1\.3 TLS_AES_\w+ secp256r1, rsa 3072 bits\)\n/);
    expect(mx1).toMatch(/MTA-STS {5}listed \(mx1\.mandant\.test\): ok\n/);
    expect(mx1).toMatch(/tier {8}qualified \(mta-sts\)\n/);
    expect(mx1).toMatch(/level {7}meets encrypt$/);
    expect(mx3).toMatch(/BSI {9}outside: peer key rsa 2048 bits: RSA below 3000 bits \(Table 13\)/);
    expect(mx3).toMatch(/MTA-STS {5}not listed: mx_mismatch — refused \(EMTASTS, validation-failure\)\n/);
    expect(mx3).toMatch(/tier {8}encrypted \(pkix\)\n {16}outside_bsi_profile: peer key rsa 2048 bits\n/);
    expect(mx3).toContain('mta_sts_mx_mismatch: the MX host matches no mx pattern of the MTA-STS policy');
    expect(mx3).toMatch(/level {7}fails encrypt: EMTASTS \(mta_sts_refused\)\n/);
    expect(r.stdout).toMatch(
      /\n {2}best tier {2}qualified \(mta-sts\), decided by mx1\.mandant\.test\n {13}skipped by a compliant sender: mx3\.mandant\.test\n$/,
    );
    expect(policyHost.requestsFor('mandant.test').length - before).toBe(1);
    expectProbeOnly();
  });

  it('--level qualified: exit 0 when every host is qualified; --compact shows the tier and the refusing code', async () => {
    const ok = await check('--level', 'qualified', 'qualified.test');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^qualified\.test {2}OK for qualified {2}\(satisfies: encrypt, verify, qualified\)\n/,
    );
    expect(ok.stdout).toMatch(/MTA-STS {5}listed \(\*\.qualified\.test\): ok\n/);
    const compact = await check(
      '--compact',
      '--level',
      'qualified',
      'qualified.test',
      'mandant.test',
      'testing.test',
    );
    expect(compact.code).toBe(2);
    expect(compact.stdout.split('\n').slice(0, 2).sort()).toEqual([
      'FAIL     mandant.test  qualified  tier qualified  mx3.mandant.test EMTASTS',
      'FAIL     testing.test  qualified  tier encrypted  mx3.mandant.test ENOTQUALIFIED',
    ]);
    expect(compact.stdout).toMatch(
      /\nOK {7}qualified\.test {2}qualified {2}tier qualified {2}mx\.qualified\.test TLSv1\.3\n/,
    );
  });

  it('testing: delivers, reports what enforce would refuse; a failed fetch: no policy, and why', async () => {
    const testing = await check('testing.test');
    expect(testing.code).toBe(0);
    expect(testing.stdout).toContain('  MTA-STS    testing (fetched, id 1, max_age 86400 s)\n');
    expect(testing.stdout).toContain('             matching: none; not listed: mx3.mandant.test\n');
    expect(testing.stdout).toMatch(/MTA-STS {5}not listed: mx_mismatch — testing: enforce would refuse it\n/);
    expect(testing.stdout).toContain('mta_sts_not_enforce: the MTA-STS policy is in mode testing');
    const broken = await check('broken.test');
    expect(broken.code).toBe(0);
    expect(broken.stdout).toContain(
      '  MTA-STS    none: TXT id 1 found, no policy obtained: sts-policy-fetch-error http_status: ',
    );
    expect(broken.stdout).toMatch(/MTA-STS {5}no policy\n/);
  });

  it('--timeout bounds the policy fetch, the TXT lookup and the MX lookup', async () => {
    const started = Date.now();
    const r = await cli([
      'check',
      '--dns-fixture',
      fixture,
      '--ca',
      ca,
      '--ehlo-name',
      'client.test',
      '--timeout',
      '400',
      'stall.test',
      'slowtxt.test',
      'slowmx.test',
    ]);
    // Without --timeout: 30 s for the fetch, 10 s for each lookup.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /MTA-STS {4}none: TXT id 1 found, no policy obtained: sts-policy-fetch-error timeout: /,
    );
    expect(r.stdout).toContain(
      '  MTA-STS    none known: TXT lookup of _mta-sts.slowtxt.test failed (ETIMEOUT); nothing cached\n',
    );
    expect(r.stdout).toContain(
      'slowmx.test  UNKNOWN for encrypt  (satisfies: none)\n  DNS lookup failed (ETIMEOUT)\n',
    );
    expect(policyHost.requestsFor('stall.test')).toHaveLength(1);
  });

  it('--no-mta-sts: no TXT lookup, no fetch, said so; the unlisted host is no longer refused', async () => {
    const before = policyHost.requests.length;
    const r = await check('--no-mta-sts', 'mandant.test');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  MTA-STS    not looked up (--no-mta-sts)\n');
    expect(r.stdout).toMatch(/MTA-STS {5}not looked up\n/);
    expect(policyHost.requests.length).toBe(before);
  });

  it('--no-bsi-profile offers Node defaults (X25519, outside the profile), said so; the default offers the profile', async () => {
    const profile = await check('--no-mta-sts', 'qualified.test');
    expect(profile.stdout).toMatch(/BSI {9}within \(TLSv1\.3 \S+ secp256r1, rsa 3072 bits\)\n/);
    const node = await check('--no-mta-sts', '--no-bsi-profile', 'qualified.test');
    expect(node.code).toBe(0);
    expect(node.stdout).toMatch(/BSI {9}outside: group x25519: .* \[default offer\]\n/);
    expect(node.stdout).toContain('outside_bsi_profile: group x25519');
  });

  it('--json carries the tier, the MTA-STS policy, and per host BSI, MTA-STS, tier, refusal and level check', async () => {
    const r = await check('--json', '--level', 'verify', 'mandant.test');
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ level: 'verify', exitCode: 2 });
    const [domain] = json.domains;
    expect(domain).toMatchObject({
      verdict: 'fail',
      check: {
        ok: false,
        code: 'EMTASTS',
        reason: 'mta_sts_refused',
        transient: true,
        failing: ['mx3.mandant.test'],
      },
      meets: [],
      satisfies: { encrypt: true, verify: true, qualified: false },
      mtaSts: {
        status: 'resolved',
        source: 'fetched',
        mode: 'enforce',
        id: '20270101',
        maxAge: 604_800,
        mx: ['mx1.mandant.test'],
        matching: ['mx1.mandant.test'],
        notMatching: ['mx3.mandant.test'],
        txt: { status: 'found', id: '20270101' },
      },
      dane: { status: 'off' },
      tier: {
        tier: 'qualified',
        authentication: 'mta-sts',
        weakest: 'mx1.mandant.test',
        skipped: ['mx3.mandant.test'],
      },
    });
    expect(domain.hosts[0]).toMatchObject({
      bsi: { within: true, handshake: 'profile', group: 'secp256r1', keyType: 'rsa', keyBits: 3072 },
      mtaSts: { mode: 'enforce', pattern: 'mx1.mandant.test', verdict: 'ok', refuses: false },
      tier: { tier: 'qualified', authentication: 'mta-sts', reasons: [] },
      facts: { mtaStsMode: 'enforce', mtaStsMxMatched: true },
      code: null,
      check: { ok: true },
    });
    expect(domain.hosts[1]).toMatchObject({
      refused: { by: 'mta-sts', code: 'EMTASTS', tlsRpt: 'validation-failure' },
      check: { ok: false, code: 'EMTASTS' },
    });
  });

  it('escapes what DNS and the policy host send: a TXT record with ESC and a bidi override', async () => {
    const text = await check('evil.test');
    expect(text.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(text.stdout).toContain('invalid TXT record at _mta-sts.evil.test');
    expect(text.stdout).toContain('\\u001b[2J');
    const json = await check('--json', 'evil.test');
    expect(json.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(JSON.parse(json.stdout).domains[0].mtaSts.txt.record).toBe('v=STSv1; id=\u001b[2J\u202e');
  });
});
