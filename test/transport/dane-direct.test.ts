import { promises as dns } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/dns/index.js';
import { createDnssecResolver } from '../../src/dnssec/index.js';
import { createPolicy, type PolicyConfig } from '../../src/policy/index.js';
import {
  createSelfSignedCertificate,
  defaultTestCa,
  startTestMx,
  type TestMx,
} from '../../src/testing/index.js';
import {
  createDirectTransport,
  type DeliveryAttempt,
  type DirectTransportOptions,
} from '../../src/transport/index.js';
import { createWhitelist, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import { type DnssecStack, dnssecGate, startDnssecStack, type ZoneRecord } from '../support/dnssec-stack.js';
import {
  ecCertificate,
  opensslCertSha256,
  opensslGate,
  opensslSpkiSha256,
} from '../support/openssl-certificates.js';
import { tempDir } from '../support/system-servers.js';
import { FAST, FROM, refusal, sensitiveInPlaintext, transporterOf } from '../support/transport-harness.js';

// DANE (RFC 7672) in the direct transport: zones signed and served by nsd, validated by unbound; the
// transport asks unbound for MX and addresses and the DNSSEC resolver for what is validated; every
// test MX logs what it received before and after TLS. Usable TLSA records decide the host (never a
// fallback to PKIX or plaintext); a bogus answer defers it without a connection.

const gate = dnssecGate();
const openssl = opensslGate();
const DAY = 86_400_000;

describe.skipIf(!gate.available || !openssl.available)('DANE in the direct transport (nsd + unbound)', () => {
  let stack: DnssecStack;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const mx: Record<string, TestMx> = {};
  const ports: Record<string, number> = {};

  async function serve(host: string, options: Parameters<typeof startTestMx>[0]): Promise<void> {
    mx[host] = await startTestMx({ name: host, ...options });
    ports[host] = mx[host].port;
  }
  const domain = (label: string, hosts: string[], tlsa: Record<string, string[]> = {}): ZoneRecord[] => [
    ...hosts.map((host, i) => ({ name: label, type: 'MX' as const, value: `${10 * (i + 1)} ${host}` })),
    ...Object.entries(tlsa).flatMap(([host, values]) =>
      values.map((value) => ({ name: `_25._tcp.${host}`, type: 'TLSA' as const, value })),
    ),
  ];

  beforeAll(async () => {
    dir = await tempDir('dane-direct');
    const ec = ecCertificate(dir.path, 'mx.ee.dane.test');
    const stale = createSelfSignedCertificate({
      names: ['unrelated.example'],
      notBefore: new Date(Date.now() - 60 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const pkixEe = `1 1 1 ${'ab'.repeat(32)}`;
    await serve('mx.ee.dane.test', { tls: ec });
    await serve('mx.stale.dane.test', { tls: stale });
    await serve('mx.wrong.dane.test', { certificate: 'valid' });
    await serve('mx.none.dane.test', { certificate: 'valid' });
    await serve('mx.unusable.dane.test', { starttls: false });
    await serve('mx.bogus.test', { certificate: 'valid' });
    const hostRecords = Object.keys(mx)
      .filter((host) => host.endsWith('.dane.test'))
      .map((host) => ({ name: host, type: 'A' as const, value: '127.0.0.1' }));
    stack = await startDnssecStack([
      {
        name: 'dane.test',
        signed: true,
        records: [
          ...hostRecords,
          ...domain('ee', ['mx.ee.dane.test'], {
            'mx.ee.dane.test': [`3 1 1 ${opensslSpkiSha256(ec.cert)}`],
          }),
          ...domain('stale', ['mx.stale.dane.test'], {
            'mx.stale.dane.test': [`3 0 1 ${opensslCertSha256(stale.cert)}`],
          }),
          ...domain('wrong', ['mx.wrong.dane.test'], { 'mx.wrong.dane.test': [`3 1 1 ${'00'.repeat(32)}`] }),
          ...domain('backup', ['mx.wrong.dane.test', 'mx.ee.dane.test']),
          ...domain('none', ['mx.none.dane.test']),
          ...domain('unusable', ['mx.unusable.dane.test'], { 'mx.unusable.dane.test': [pkixEe] }),
          ...domain('tlsabad', ['mx.bogus.test']),
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
    ]);
  });
  afterAll(async () => {
    for (const server of Object.values(mx)) await server.close();
    await stack?.stop();
    await dir?.remove();
  });

  // The transport's own resolver asks unbound too, as it would ask the system's.
  function unboundResolver(): Resolver {
    const resolver = new dns.Resolver();
    resolver.setServers([stack.resolver]);
    return {
      resolveMx: (name) => resolver.resolveMx(name),
      resolve4: (name) => resolver.resolve4(name),
      resolve6: (name) => resolver.resolve6(name),
    };
  }

  function send(
    to: string,
    policy: PolicyConfig = { outbound: { default: 'encrypt' } },
    extra: Partial<DirectTransportOptions> = {},
  ) {
    const attempts: DeliveryAttempt[] = [];
    const transporter = transporterOf(
      createDirectTransport({
        policy: createPolicy(policy),
        name: 'client.kanzlei.test',
        resolver: unboundResolver(),
        connect: (host) => ({ host: '127.0.0.1', port: ports[host] ?? 1 }),
        ca: defaultTestCa().cert,
        dnssec: createDnssecResolver({ servers: [stack.resolver] }),
        timeouts: FAST,
        onAttempt: (a) => attempts.push(a),
        ...extra,
      }),
    );
    const sent = transporter.sendMail({ from: FROM, to, subject: 'Mandat', text: 'Vertraulich.' });
    return {
      attempts,
      result: sent.finally(() => transporter.close()),
    };
  }

  const untouched = (host: string) => expect(mx[host]!.connections).toBe(0);
  const noMail = (host: string) => {
    expect(mx[host]!.commands()).not.toContain('MAIL');
    expect(sensitiveInPlaintext(mx[host]!)).toEqual([]);
  };

  it('DANE-EE 3 1 1: delivered, authenticated by DANE, the matching record in the report', async () => {
    const { result, attempts } = send('mandantin@ee.dane.test');
    const report = (await result).tls.recipients[0]!;
    expect(report).toMatchObject({ state: 'delivered', authentication: 'dane', mx: 'mx.ee.dane.test' });
    expect(report.tls?.dane).toEqual({
      status: 'dane_required',
      dnssec: { mx: 'secure', address: 'secure', tlsa: 'secure' },
      record: { usage: 3, selector: 1, matchingType: 1 },
    });
    expect(report.tls?.proven).toContain('dane');
    expect(attempts.map((a) => a.authentication)).toEqual(['dane']);
    expect(mx['mx.ee.dane.test']!.receivedInPlaintext(['MAIL', 'RCPT', 'DATA'])).toEqual([]);
    expect(mx['mx.ee.dane.test']!.messages).toMatchObject([{ secure: true }]);
  });

  it('level qualified over DANE-EE with an EC key inside the BSI profile: qualified', async () => {
    const { result } = send('mandantin@ee.dane.test', { outbound: { default: 'qualified' } });
    const report = (await result).tls.recipients[0]!;
    expect(report).toMatchObject({ state: 'delivered', tier: 'qualified', authentication: 'dane' });
  });

  it('level verify: an expired self-signed certificate for another name is delivered on DANE-EE alone', async () => {
    const { result } = send('mandantin@stale.dane.test', { outbound: { default: 'verify' } });
    const report = (await result).tls.recipients[0]!;
    expect(report).toMatchObject({ state: 'delivered', authentication: 'dane' });
    expect(report.tls?.certificateVerified).toBe(false);
  });

  it('a TLSA record that matches nothing: EDANEMISMATCH after the handshake, no PKIX fallback, no MAIL', async () => {
    const { result } = send('mandantin@wrong.dane.test');
    const error = await refusal(result);
    expect(error.recipients[0]).toMatchObject({
      code: 'EDANEMISMATCH',
      phase: 'certificate',
      mayWhitelist: false,
      mx: 'mx.wrong.dane.test',
    });
    expect(mx['mx.wrong.dane.test']!.handshakes.some((h) => h.ok)).toBe(true);
    noMail('mx.wrong.dane.test');
    expect(mx['mx.wrong.dane.test']!.messages).toEqual([]);
  });

  it('a whitelisted recipient at level may is still held to its TLSA records', async () => {
    const whitelist = createWhitelist(new MemoryWhitelistStore());
    await whitelist.add({
      direction: 'outbound',
      scope: 'domain',
      value: 'wrong.dane.test',
      reason: 'Mandant hat unverschlüsselten Versand schriftlich gewünscht',
      approvedBy: 'admin@kanzlei.test',
    });
    const { result } = send('mandantin@wrong.dane.test', { outbound: { default: 'encrypt' } }, { whitelist });
    const error = await refusal(result);
    expect(error.recipients[0]).toMatchObject({ code: 'EDANEMISMATCH', level: 'may', mayWhitelist: false });
    noMail('mx.wrong.dane.test');
  });

  it('a mismatching primary and a DANE backup: the backup delivers, both hosts in mxTried', async () => {
    const { result, attempts } = send('mandantin@backup.dane.test');
    const info = await result;
    expect(info.tls.recipients[0]).toMatchObject({ state: 'delivered', mx: 'mx.ee.dane.test' });
    expect(attempts.map((a) => [a.host, a.outcome, a.code])).toEqual([
      ['mx.wrong.dane.test', 'failed', 'EDANEMISMATCH'],
      ['mx.ee.dane.test', 'delivered', undefined],
    ]);
  });

  it('no TLSA (authenticated denial): level dane delivers opportunistically; dane-only refuses without connecting', async () => {
    const before = mx['mx.none.dane.test']!.connections;
    const loose = await send('mandantin@none.dane.test', { outbound: { default: 'dane' } }).result;
    expect(loose.tls.recipients[0]).toMatchObject({ state: 'delivered', authentication: 'pkix' });
    expect(loose.tls.recipients[0]!.tls?.dane).toMatchObject({ status: 'no_dane' });
    const strict = await refusal(
      send('mandantin@none.dane.test', { outbound: { default: 'dane-only' } }).result,
    );
    // The local policy asked for dane-only; the recipient published nothing: a whitelist entry may lower it.
    expect(strict.recipients[0]).toMatchObject({ code: 'EDANEREQUIRED', phase: 'dns', mayWhitelist: true });
    expect(mx['mx.none.dane.test']!.connections).toBe(before + 1);
  });

  it('only unusable TLSA records: TLS is mandatory even at level may, so a plaintext-only MX gets no MAIL', async () => {
    const { result } = send('mandantin@unusable.dane.test', { outbound: { default: 'may' } });
    const error = await refusal(result);
    expect(error.recipients[0]).toMatchObject({ code: 'ENOSTARTTLS', mayWhitelist: false });
    noMail('mx.unusable.dane.test');
    expect(mx['mx.unusable.dane.test']!.messages).toEqual([]);
  });

  it('a bogus TLSA RRset defers the host (EDNSSEC, transient) at level may: never connected, never plaintext', async () => {
    const { result } = send('mandantin@tlsabad.dane.test', { outbound: { default: 'may' } });
    const error = await refusal(result);
    expect(error.recipients[0]).toMatchObject({ code: 'EDNSSEC', phase: 'dns', transient: true });
    untouched('mx.bogus.test');
  });

  it('a bogus MX RRset defers the domain before any host is looked at', async () => {
    const { result } = send('mandantin@bogus.test', { outbound: { default: 'may' } });
    const error = await refusal(result);
    expect(error.recipients[0]).toMatchObject({
      code: 'EDNSSEC',
      phase: 'dns',
      transient: true,
      mxTried: [],
    });
    untouched('mx.bogus.test');
  });

  it('the validated MX RRset is followed: a resolver naming another host does not take DANE away', async () => {
    const spoofing = unboundResolver();
    const resolver: Resolver = {
      ...spoofing,
      resolveMx: async () => [{ exchange: 'mx.none.dane.test', priority: 5 }],
    };
    const before = mx['mx.none.dane.test']!.connections;
    const { result } = send('mandantin@ee.dane.test', undefined, { resolver });
    const report = (await result).tls.recipients[0]!;
    expect(report).toMatchObject({ state: 'delivered', mx: 'mx.ee.dane.test', authentication: 'dane' });
    expect(mx['mx.none.dane.test']!.connections).toBe(before);
  });
});
