import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckServers, startCheckServers } from './check-servers.js';
import { cli } from './helpers.js';

// The options of `check` that choose what is checked: --level (every level), --fingerprint,
// --dnssec-server; and --timeout bounding a DNSSEC lookup, against a real UDP resolver address that
// never answers.

describe('forced-tls check: levels, pins and the DNSSEC resolver', () => {
  let s: CheckServers;
  let silent: Socket;
  let silentAt: string;
  let queries = 0;
  beforeAll(async () => {
    s = await startCheckServers();
    // A "resolver" that reads every query and answers none.
    silent = createSocket('udp4');
    silent.on('message', () => queries++);
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    silentAt = `127.0.0.1:${silent.address().port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await s.close();
  });

  const check = (...args: string[]) =>
    cli(['check', '--dns-fixture', s.fixture, '--ehlo-name', 'client.test', '--timeout', '3000', ...args]);

  it('accepts every level; may passes a host without STARTTLS, qualified fails a PKIX-only one', async () => {
    expect((await check('--level', 'may', 'plain.test')).code).toBe(0);
    const qualified = await check('--level', 'qualified', '--ca', s.ca, 'tls.test');
    expect(qualified.code).toBe(2);
    expect(qualified.stdout).toMatch(/level {7}fails qualified: ENOTQUALIFIED \(not_qualified\)\n/);
    expect(qualified.stdout).toContain('tls.test  FAIL for qualified  (satisfies: encrypt, verify)');
    const help = await cli(['check', '--help']);
    for (const level of ['may', 'encrypt', 'verify', 'fingerprint', 'qualified', 'dane', 'dane-only']) {
      expect(help.stdout).toContain(level);
    }
  });

  it('--level fingerprint: a pinned certificate passes although untrusted; another pin fails with EFINGERPRINT', async () => {
    const pinned = await check('--level', 'fingerprint', '--fingerprint', s.good.fingerprint256, 'tls.test');
    expect(pinned.code).toBe(0);
    const plain = s.good.fingerprint256.replace(/:/g, '').toLowerCase();
    expect((await check('--level', 'fingerprint', '--fingerprint', plain, 'tls.test')).code).toBe(0);
    const other = await check(
      '--level',
      'fingerprint',
      '--fingerprint',
      s.expired.fingerprint256,
      'tls.test',
    );
    expect(other.code).toBe(2);
    expect(other.stdout).toMatch(/level {7}fails fingerprint: EFINGERPRINT \(fingerprint_mismatch\)\n/);
  });

  it('refuses levels and flags it cannot honour, naming the flag, before connecting', async () => {
    const before = s.good.connections;
    const cases: [string[], string][] = [
      [['--level', 'dane'], '--level dane needs --dnssec-server'],
      [['--level', 'dane-only'], '--level dane-only needs --dnssec-server'],
      [['--level', 'fingerprint'], '--level fingerprint needs at least one --fingerprint'],
      [['--fingerprint', 'AB:CD'], '--fingerprint must be a SHA-256 fingerprint'],
      [
        ['--dnssec-server', 'resolver.example'],
        '--dnssec-server must be the IP address of a DNSSEC-validating resolver',
      ],
      [['--dnssec-server', '192.0.2.53:53'], '--dnssec-server must be on a loopback address'],
      [['--dnssec-server', '127.0.0.1:99999'], '--dnssec-server must be the IP address'],
    ];
    for (const [flags, message] of cases) {
      const r = await check(...flags, 'tls.test');
      expect(r.code, flags.join(' ')).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error EUSAGE: ${message.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}.*\\(see: forced-tls check --help\\)\\n$`,
        ),
      );
    }
    expect(s.good.connections).toBe(before);
  });

  it('without --dnssec-server DANE is off and says so, per domain and per host', async () => {
    const r = await check('tls.test');
    expect(r.stdout).toContain('  DNSSEC     off: DANE not checked (no --dnssec-server)\n');
    expect(r.stdout).toMatch(/DANE {8}off: DANE not checked \(no --dnssec-server\)\n/);
    expect(JSON.parse((await check('--json', 'tls.test')).stdout).domains[0].dane).toEqual({ status: 'off' });
  });

  it('--timeout bounds each DNSSEC lookup: a resolver that never answers defers the host (EDNSSEC), exit 3', async () => {
    const started = Date.now();
    const r = await cli([
      'check',
      '--dns-fixture',
      s.fixture,
      '--ehlo-name',
      'client.test',
      '--dnssec-server',
      silentAt,
      '--timeout',
      '400',
      'tls.test',
    ]);
    // The DNSSEC resolver's own deadline is 5 s per lookup.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(queries).toBeGreaterThan(0);
    expect(r.code).toBe(3); // a lookup that got no answer is no finding about the recipient
    expect(r.stdout).toContain(
      '  DNSSEC     MX RRset failed, error: no usable reply for tls.test MX within 400 ms\n',
    );
    expect(r.stdout).toMatch(/DANE {8}deferred \(mx_failed\); DNSSEC MX failed/);
    expect(r.stdout).toMatch(/level {7}fails encrypt: EDNSSEC \(dnssec_failed\)\n/);
  });
});
