import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckServers, startCheckServers } from './check-servers.js';
import { cli } from './helpers.js';

describe('forced-tls check (offline, loopback MX servers, --dns-fixture)', () => {
  let s: CheckServers;
  beforeAll(async () => {
    s = await startCheckServers();
  });
  afterAll(() => s.close());

  const check = (...args: string[]) =>
    cli(['check', '--dns-fixture', s.fixture, '--ehlo-name', 'client.test', '--timeout', '3000', ...args]);

  it('prints a block per MX with TLS version, cipher and certificate; exit 0 at verify with the CA', async () => {
    const r = await check('--level', 'verify', '--ca', s.ca, 'tls.test');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tls\.test {2}OK for verify {2}\(satisfies: encrypt, verify\)\n/);
    expect(r.stdout).toContain('  MX mx.tls.test (preference 10)');
    expect(r.stdout).toMatch(/status\s+starttls_ok/);
    expect(r.stdout).toMatch(/tls\s+TLSv1\.3/);
    expect(r.stdout).toMatch(/cipher\s+TLS_AES_\w+/);
    expect(r.stdout).toMatch(/subject\s+CN=mx\.tls\.test/);
    expect(r.stdout).toMatch(/issuer\s+CN=forced-tls default test CA/);
    expect(r.stdout).toMatch(/verified\s+yes/);
    expect(r.stdout).toMatch(/name match\s+yes/);
  });

  it('exits 2 for a server without STARTTLS and never sends it MAIL FROM', async () => {
    const r = await check('plain.test');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('plain.test  FAIL for encrypt  (satisfies: none)');
    expect(r.stdout).toMatch(/status\s+starttls_missing/);
    expect(s.plain.commands()).not.toContain('MAIL');
    expect(s.plain.commands()).toContain('QUIT');
  });

  it('judges the level: an untrusted certificate passes encrypt (0) but fails verify (2)', async () => {
    expect((await check('--level', 'encrypt', 'tls.test')).code).toBe(0);
    const verify = await check('--level', 'verify', 'tls.test');
    expect(verify.code).toBe(2);
    expect(verify.stdout).toMatch(/verified\s+no\n/);
    expect(verify.stdout).toMatch(/chain\s+not trusted \(/);
    expect(verify.stdout).toMatch(/error\s+ECERTUNTRUSTED: certificate chain not trusted/);
    const expired = await check('--level', 'verify', '--ca', s.ca, 'expired.test');
    expect(expired.code).toBe(2);
    expect(expired.stdout).toMatch(/status\s+cert_expired/);
  });

  it('exits 3 when DNS fails or the hosts are unreachable, and nothing failed outright', async () => {
    const dns = await check('broken.test');
    expect(dns.code).toBe(3);
    expect(dns.stdout).toContain('broken.test  UNKNOWN for encrypt');
    expect(dns.stdout).toContain('DNS lookup failed (ESERVFAIL)');
    expect((await check('gone.test')).code).toBe(3);
    const down = await check('down.test');
    expect(down.code).toBe(3);
    expect(down.stdout).toMatch(/status\s+unreachable/);
  });

  it('exits 2 when one domain fails among unknown and good ones; summary line; null MX fails', async () => {
    const r = await check('tls.test', 'broken.test', 'mixed.test', 'nomail.test');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('mixed.test  FAIL for encrypt');
    expect(r.stdout).toContain('null MX: the domain accepts no mail');
    expect(r.stdout).toContain('4 domain(s) checked for encrypt: 1 ok, 2 fail, 1 unknown');
  });

  it('prints JSON with the verdict and the probe data per domain', async () => {
    const r = await check('--json', 'tls.test', 'plain.test');
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout) as {
      level: string;
      exitCode: number;
      domains: Record<string, unknown>[];
    };
    expect(json.level).toBe('encrypt');
    expect(json.exitCode).toBe(2);
    expect(json.domains[0]).toMatchObject({
      verdict: 'ok',
      domain: 'tls.test',
      satisfies: { encrypt: true },
    });
    expect(json.domains[1]).toMatchObject({ verdict: 'fail', hosts: [{ status: 'starttls_missing' }] });
  });

  it('reads domains and addresses from --file, skipping comments and duplicates', async () => {
    const file = s.path('domains.txt');
    await writeFile(file, '# recipients\ntls.test\n\nanna@TLS.test\nplain.test # no TLS\n');
    const r = await check('--json', '--file', file);
    const json = JSON.parse(r.stdout) as { domains: { domain: string }[] };
    expect(json.domains.map((d) => d.domain)).toEqual(['tls.test', 'plain.test']);
    await writeFile(file, 'tls.test\nnot a domain\n');
    const bad = await check('--file', file);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error EADDRESS: .*domains\.txt line 2: Invalid domain "not a domain"/);
  });

  it('shows progress on a terminal or with --progress, never in the output', async () => {
    const tty = await cli(
      ['check', '--dns-fixture', s.fixture, '--ehlo-name', 'client.test', 'tls.test', 'plain.test'],
      {
        tty: true,
        env: { NO_COLOR: '1' },
      },
    );
    expect(tty.stderr).toContain('checking 2/2 domains…');
    expect(tty.stdout).not.toContain('checking');
    const forced = await check('--progress', 'tls.test', 'plain.test');
    expect(forced.stderr).toMatch(/^checked 1\/2 \S+\nchecked 2\/2 \S+\n$/);
    const quiet = await check('tls.test', 'plain.test');
    expect(quiet.stderr).toBe('');
  });

  it('colors only on a terminal without NO_COLOR', async () => {
    const colored = await cli(
      ['check', '--dns-fixture', s.fixture, '--ehlo-name', 'client.test', 'tls.test'],
      { tty: true },
    );
    expect(colored.stdout).toContain('\u001b[32mOK\u001b[0m');
    expect((await check('tls.test')).stdout).not.toContain('\u001b[');
  });

  it('refuses bad arguments with EUSAGE, EADDRESS or EPOLICY before connecting', async () => {
    const connectionsBefore = s.good.connections;
    expect((await check()).stderr).toContain('error EUSAGE: name at least one domain');
    expect((await check('--level', 'strict', 'tls.test')).stderr).toContain(
      'error EUSAGE: --level must be one of',
    );
    for (const port of ['0', '99999', 'x']) {
      expect((await check('--port', port, 'tls.test')).stderr).toContain(
        `error EUSAGE: --port must be a port number (1-65535), got "${port}" (see: forced-tls check --help)`,
      );
    }
    expect((await check('no_domain')).stderr).toMatch(/^error EADDRESS: argument: Invalid domain/);
    for (const name of ['no spaces', 'localhost']) {
      const ehlo = await cli(['check', '--dns-fixture', s.fixture, '--ehlo-name', name, 'tls.test']);
      expect(ehlo.code).toBe(1);
      expect(ehlo.stderr).toMatch(/^error EUSAGE: --ehlo-name must be a fully qualified domain name .*\n$/);
      expect(ehlo.stderr).not.toContain('ehloName');
    }
    expect(s.good.connections).toBe(connectionsBefore);
  });
  it('--ca: a file without a certificate is EINPUT, a missing file ENOENT, before connecting', async () => {
    const before = s.good.connections;
    const garbage = s.path('garbage.pem');
    await writeFile(garbage, 'not a certificate\n');
    const bad = await check('--ca', garbage, 'tls.test');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `error EINPUT: CA file ${garbage}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it\n`,
    );
    const broken = s.path('broken.pem');
    await writeFile(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect((await check('--ca', broken, 'tls.test')).stderr).toMatch(
      /^error EINPUT: CA file .*certificate 1 is malformed/,
    );
    const missing = await check('--ca', 'missing.pem', 'tls.test');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error ENOENT: cannot read CA file missing.pem: no such file or directory\n');
    expect(s.good.connections).toBe(before);
  });

  it('--ca reads every certificate of a bundle file: the test CA after a public root', async () => {
    const both = s.path('both.pem');
    const { rootCertificates } = await import('node:tls');
    await writeFile(both, `${rootCertificates[0]}\n${await readFile(s.ca, 'utf8')}`);
    expect((await check('--level', 'verify', '--ca', both, 'tls.test')).code).toBe(0);
  });

  it('speaks the library vocabulary: verified = chain and name, ENOSTARTTLS, ETIMEOUT, ECONNECT', async () => {
    const wrong = await check('--level', 'verify', '--ca', s.ca, 'wrongname.test');
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(/verified\s+no\n/);
    expect(wrong.stdout).toMatch(/chain\s+trusted\n/);
    expect(wrong.stdout).toMatch(/name match\s+no\n/);
    expect(wrong.stdout).toMatch(/error\s+ECERTNAME: certificate does not match the host name/);
    const plain = await check('plain.test');
    expect(plain.stdout).toMatch(/error\s+ENOSTARTTLS: server offers no STARTTLS/);
    expect(plain.stdout).not.toMatch(/\bESTARTTLS\b/);
    const silent = await cli([
      'check',
      '--dns-fixture',
      s.fixture,
      '--ehlo-name',
      'client.test',
      '--timeout',
      '300',
      'silent.test',
    ]);
    expect(silent.code).toBe(3);
    expect(silent.stdout).toMatch(/error\s+ETIMEOUT: timed out/);
    expect(silent.stdout).not.toMatch(/\bETIMEDOUT\b/);
    const down = await check('down.test');
    expect(down.stdout).toMatch(/error\s+ECONNECT: connection failed/);
    expect(down.stdout).not.toMatch(/error\s+ECONNREFUSED/);
    const json = JSON.parse(
      (await check('--json', '--level', 'verify', '--ca', s.ca, 'wrongname.test', 'plain.test')).stdout,
    ) as {
      domains: { hosts: { code: string | null; certificateVerified?: boolean }[] }[];
    };
    expect(json.domains.map((d) => d.hosts[0])).toMatchObject([
      { code: 'ECERTNAME', certificateVerified: false },
      { code: 'ENOSTARTTLS' },
    ]);
  });

  it('--compact: one line per domain, failures and unknowns first (as they finish), then the OK ones', async () => {
    const r = await check('--compact', 'tls.test', 'plain.test', 'gone.test', 'nomail.test', 'down.test');
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    const verdicts = lines.slice(0, 5).map((l) => l.split(/\s+/)[0]);
    // Every non-OK line comes before the OK one; the summary closes.
    expect(verdicts.slice(0, 4).sort()).toEqual(['FAIL', 'FAIL', 'UNKNOWN', 'UNKNOWN']);
    expect(lines[4]).toMatch(/^OK {7}tls\.test {2}encrypt {2}tier encrypted {2}mx\.tls\.test TLSv1\.[23]$/);
    expect(lines).toContain('FAIL     plain.test  encrypt  tier plaintext  mx.plain.test ENOSTARTTLS');
    expect(lines).toContain(
      'UNKNOWN  gone.test  encrypt  tier unknown  the domain does not exist (ENOTFOUND)',
    );
    expect(lines).toContain('UNKNOWN  down.test  encrypt  tier unknown  mx.down.test ECONNECT');
    expect(lines).toContain(
      'FAIL     nomail.test  encrypt  tier unknown  null MX: the domain accepts no mail',
    );
    expect(lines[5]).toBe('5 domain(s) checked for encrypt: 1 ok, 2 fail, 2 unknown');
    expect((await check('--compact', '--json', 'tls.test')).stderr).toContain(
      'error EUSAGE: --compact and --json',
    );
  });

  it('--compact streams: a failure is printed before a slow domain has finished', async () => {
    const writes: string[] = [];
    const r = await cli(
      [
        'check',
        '--dns-fixture',
        s.fixture,
        '--ehlo-name',
        'client.test',
        '--timeout',
        '1500',
        '--compact',
        'silent.test',
        'plain.test',
      ],
      { onStdout: (chunk) => writes.push(chunk) },
    );
    expect(r.code).toBe(2);
    expect(writes[0]).toMatch(/^FAIL {5}plain\.test/);
    expect(writes[1]).toMatch(
      /^UNKNOWN {2}silent\.test {2}encrypt {2}tier unknown {2}mx\.silent\.test ETIMEOUT/,
    );
  });
});
