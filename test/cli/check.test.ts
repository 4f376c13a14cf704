import { writeFile } from 'node:fs/promises';
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
    expect(verify.stdout).toMatch(/verified\s+no \(/);
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
    expect((await check('--port', '0', 'tls.test')).stderr).toContain(
      'error EUSAGE: --port must be a positive',
    );
    expect((await check('no_domain')).stderr).toMatch(/^error EADDRESS: argument: Invalid domain/);
    const ehlo = await cli(['check', '--dns-fixture', s.fixture, '--ehlo-name', 'no spaces', 'tls.test']);
    expect(ehlo.code).toBe(1);
    expect(ehlo.stderr).toMatch(/^error EPOLICY: Invalid probe option ehloName[^\n]*\n$/);
    expect(s.good.connections).toBe(connectionsBefore);
  });
});
