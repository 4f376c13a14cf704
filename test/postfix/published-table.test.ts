// The TLS policy table with a real MTA-STS resolver (TXT from the test network, policies fetched over
// HTTPS from the loopback test policy host) and a real DNSSEC resolver (signed zones in nsd,
// validated by unbound). What the socketmap answers; Postfix itself is in postfix-published.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnssecResolver, type DnssecResolver } from '../../src/dnssec/index.js';
import {
  createMtaStsResolver,
  MemoryMtaStsCacheStore,
  type MtaStsCacheStore,
  type MtaStsResolver,
} from '../../src/mta-sts/index.js';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import { createTlsPolicyTable, type TlsPolicyTableOptions } from '../../src/postfix/index.js';
import {
  createTestNetwork,
  startTestPolicyHost,
  type TestNetwork,
  type TestPolicyHost,
} from '../../src/testing/index.js';
import { type DnssecStack, dnssecGate, startDnssecStack, type ZoneRecord } from '../support/dnssec-stack.js';

const gate = dnssecGate();
const TAIL = 'protocols=>=TLSv1.2 servername=hostname';
const FP = Array(32).fill('AB').join(':');
const USABLE = `3 1 1 ${'ab'.repeat(32)}`;
const UNUSABLE = `1 1 1 ${'cd'.repeat(32)}`;
const NOW = new Date();
const DAY = 86_400_000;

const policyText = (mode: string, mx: string[]) =>
  `version: STSv1\nmode: ${mode}\n${mx.map((m) => `mx: ${m}\n`).join('')}max_age: 86400\n`;

// One signed zone with a domain per DANE situation; each MX host has an address.
function host(name: string, tlsa: string[] = [], tamper = false): ZoneRecord[] {
  return [
    { name, type: 'A', value: '127.0.0.1' },
    ...tlsa.map((value) => ({ name: `_25._tcp.${name}`, type: 'TLSA' as const, value, tamper })),
  ];
}
const mx = (domain: string, ...hosts: string[]): ZoneRecord[] =>
  hosts.map((h, i) => ({ name: domain, type: 'MX' as const, value: `${10 * (i + 1)} ${h}.pf.test` }));

describe.skipIf(!gate.available)('the TLS policy table with MTA-STS and DANE (real resolvers)', () => {
  let stack: DnssecStack;
  let dnssec: DnssecResolver;
  let policyHost: TestPolicyHost;
  let network: TestNetwork;

  const policy = createPolicy({
    outbound: {
      default: 'may',
      rules: [
        { match: 'enc.pf.test', level: 'encrypt' },
        { match: 'verify.pf.test', level: 'verify' },
        { match: 'pin.pf.test', level: 'fingerprint', fingerprints: [FP] },
        { match: 'part-enc.pf.test', level: 'encrypt' },
        { match: 'sts.test', level: 'encrypt' },
        { match: 'all.pf.test', level: 'encrypt' },
      ],
    },
  });

  beforeAll(async () => {
    stack = await startDnssecStack([
      {
        name: 'pf.test',
        signed: true,
        records: [
          ...mx('all', 'mx.all'),
          ...host('mx.all.pf.test', [USABLE]),
          ...mx('verify', 'mx.all'),
          ...mx('pin', 'mx.all'),
          ...mx('part', 'mx1.part', 'mx2.part'),
          ...mx('part-enc', 'mx1.part', 'mx2.part'),
          ...host('mx1.part.pf.test', [USABLE]),
          ...host('mx2.part.pf.test'),
          ...mx('unus', 'mx.unus'),
          ...host('mx.unus.pf.test', [UNUSABLE]),
          ...mx('none', 'mx.none'),
          ...mx('enc', 'mx.none'),
          ...host('mx.none.pf.test'),
          ...mx('both', 'mx.all'),
          ...mx('tlsabad', 'mx.tlsabad'),
          ...host('mx.tlsabad.pf.test', [USABLE], true),
          ...mx('moved', 'mx-new.moved'),
          ...mx('moved2', 'mx-new.moved'),
          ...host('mx-new.moved.pf.test'),
        ],
      },
      {
        name: 'pfbogus.test',
        signed: true,
        records: [
          { name: '@', type: 'MX', value: '10 mx.pfbogus.test', tamper: true },
          { name: 'mx', type: 'A', value: '127.0.0.1' },
        ],
      },
      {
        name: 'pfplain.test',
        signed: false,
        records: [
          { name: '@', type: 'MX', value: '10 mx.pfplain.test' },
          { name: 'mx', type: 'A', value: '127.0.0.1' },
          { name: '_25._tcp.mx', type: 'TLSA', value: USABLE },
        ],
      },
    ]);
    dnssec = createDnssecResolver({ servers: [stack.resolver] });
    policyHost = await startTestPolicyHost({
      policies: {
        'sts.test': policyText('enforce', ['mx1.sts.test', '*.mx.sts.test']),
        'testing.test': policyText('testing', ['mx.testing.test']),
        'both.pf.test': policyText('enforce', ['mx.all.pf.test']),
        'pfbogus.test': policyText('enforce', ['mx.pfbogus.test']),
        'moved.pf.test': policyText('enforce', ['mx-new.moved.pf.test']),
        'moved2.pf.test': { status: 500, body: 'down' },
      },
    });
    const sts = (domain: string, id = '1') => [`_mta-sts.${domain}`, { txt: [`v=STSv1; id=${id}`] }] as const;
    network = createTestNetwork({
      domains: Object.fromEntries([
        sts('sts.test'),
        sts('testing.test'),
        sts('both.pf.test'),
        sts('pfbogus.test'),
        sts('moved.pf.test', 'new'),
        sts('moved2.pf.test', 'new'),
      ]),
      hosts: Object.fromEntries(
        ['sts.test', 'testing.test', 'both.pf.test', 'pfbogus.test', 'moved.pf.test', 'moved2.pf.test'].map(
          (d) => [`mta-sts.${d}`, policyHost],
        ),
      ),
    });
  }, 30_000);

  afterAll(async () => {
    await policyHost?.close();
    await stack?.stop();
  });

  const resolver = (store: MtaStsCacheStore = new MemoryMtaStsCacheStore()): MtaStsResolver =>
    createMtaStsResolver({
      resolver: network.resolver,
      connect: network.connect,
      ca: policyHost.ca.cert,
      store,
    });
  const table = (options: Partial<TlsPolicyTableOptions> = {}) =>
    createTlsPolicyTable({ policy, mtaSts: resolver(), dnssec, ...options });
  const reply = async (key: string, options: Partial<TlsPolicyTableOptions> = {}) => {
    const r = (await table(options).lookup(key)).reply;
    if (r.status === 'OK') return r.data;
    return r.status === 'NOTFOUND' ? r.status : `${r.status} ${r.reason}`;
  };

  it.each([
    // MTA-STS enforce, fetched over HTTPS: secure with the policy's patterns (*. becomes .).
    ['sts.test', `secure match=mx1.sts.test:.mx.sts.test ${TAIL}`],
    // testing is report only: the local answer.
    ['testing.test', 'may'],
    // DANE at every MX host; the local verify and a local default alike.
    ['all.pf.test', `dane-only ${TAIL}`],
    ['verify.pf.test', `dane-only ${TAIL}`],
    // A pin stays stricter than DANE.
    ['pin.pf.test', `fingerprint match=${FP} ${TAIL}`],
    // DANE at one of two MX hosts: Postfix's per-host dane for a local may, dane-only above it.
    ['part.pf.test', `dane ${TAIL}`],
    ['part-enc.pf.test', `dane-only ${TAIL}`],
    // Only unusable TLSA records: TLS mandatory.
    ['unus.pf.test', `encrypt ${TAIL}`],
    // Authenticated denial of TLSA, an unsigned zone (its TLSA records prove nothing): local.
    ['none.pf.test', 'may'],
    ['enc.pf.test', `encrypt ${TAIL}`],
    ['pfplain.test', 'may'],
    // DANE and MTA-STS: DANE first (RFC 8461 §2).
    ['both.pf.test', `dane-only ${TAIL}`],
    // Bogus DNSSEC: TEMP, never "no DANE", and never the domain's MTA-STS policy instead.
    ['pfbogus.test', 'TEMP forced-tls cannot decide now (EDNSSEC)'],
    ['tlsabad.pf.test', 'TEMP forced-tls cannot decide now (EDNSSEC)'],
  ])('%s → %s', async (key, expected) => {
    expect(await reply(key)).toBe(expected);
  });

  it('says in the answer what was published and which source the reply enforces', async () => {
    const both = await table().lookup('both.pf.test');
    expect(both).toMatchObject({
      basis: 'dane',
      requirement: { level: 'encrypt', authentication: 'dane' },
      published: {
        mtaSts: { status: 'resolved', resolution: { mode: 'enforce', source: 'fetched' } },
        dane: { status: 'dane_required', hosts: [{ host: 'mx.all.pf.test', status: 'dane_required' }] },
      },
    });
    const bogus = await table().lookup('pfbogus.test');
    expect(bogus.error).toMatch(/^EDNSSEC: DNSSEC lookup of the MX of pfbogus\.test: bogus/);
    expect(bogus.published?.dane.status).toBe('failed');
  });

  it('a whitelist entry never lowers what the recipient publishes', async () => {
    const entry = (value: string) => ({
      id: `wl-${value}`,
      direction: 'outbound' as const,
      scope: 'domain' as const,
      value,
      reason: 'Mandant wünscht unverschlüsselte Zustellung',
      approvedBy: 'StB Müller',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const whitelist = createWhitelistIndex([entry('sts.test'), entry('all.pf.test'), entry('enc.pf.test')]);
    expect(await reply('sts.test', { whitelist })).toBe(`secure match=mx1.sts.test:.mx.sts.test ${TAIL}`);
    expect(await reply('all.pf.test', { whitelist })).toBe(`dane-only ${TAIL}`);
    // Nothing published: the entry lowers the local rule as before.
    expect(await reply('enc.pf.test', { whitelist })).toBe('may');
    const answer = await table({ whitelist }).lookup('sts.test');
    expect(answer.requirement).toMatchObject({ whitelistOverridden: true });
  });

  it('an MTA-STS resolver that fails (its store) answers TEMP: whether enforce is cached is unknown', async () => {
    const broken: MtaStsCacheStore = {
      get: () => Promise.reject(new Error('cache disk gone')),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(false),
    };
    const answer = await createTlsPolicyTable({ policy, mtaSts: resolver(broken) }).lookup('sts.test');
    expect(answer.reply).toEqual({ status: 'TEMP', reason: 'forced-tls cannot decide now (ESTORE)' });
    expect(answer.error).toMatch(/^ESTORE: /);
  });

  it('a failed TXT lookup or fetch with nothing cached is "no policy" (RFC 8461 §3.3): the local answer', async () => {
    network.setDomain('_mta-sts.flaky.test', 'servfail');
    const mtaSts = resolver();
    const sts = createTlsPolicyTable({ policy, mtaSts });
    const answer = await sts.lookup('flaky.test');
    expect(answer.reply).toEqual({ status: 'OK', data: 'may' });
    expect(answer.published?.mtaSts).toMatchObject({
      status: 'resolved',
      resolution: { source: 'none', failure: { reason: 'dns_error' } },
    });
    expect((await sts.lookup('moved2.pf.test')).reply).toEqual({ status: 'OK', data: 'may' });
  });

  describe('a cached policy that lists none of the current MX hosts (the recipient moved its mail)', () => {
    const cached = (domain: string) => ({
      domain,
      id: 'old',
      policy: {
        version: 'STSv1' as const,
        mode: 'enforce' as const,
        maxAge: 86_400,
        mx: [`mx-old.moved.pf.test`],
        lines: ['version: STSv1', 'mode: enforce', 'mx: mx-old.moved.pf.test', 'max_age: 86400'],
      },
      fetchedAt: new Date(NOW.getTime() - 3_600_000).toISOString(),
      checkedAt: new Date(NOW.getTime() - 3_600_000).toISOString(),
      expiresAt: new Date(NOW.getTime() + DAY).toISOString(),
    });

    it('is checked again before answering: the new id is fetched and its policy answered', async () => {
      const store = new MemoryMtaStsCacheStore();
      await store.set(cached('moved.pf.test'));
      const before = policyHost.requestsFor('moved.pf.test').length;
      const sts = table({ mtaSts: resolver(store) });
      const answer = await sts.lookup('moved.pf.test');
      expect(answer.reply).toEqual({ status: 'OK', data: `secure match=mx-new.moved.pf.test ${TAIL}` });
      expect(answer.published?.mtaSts).toMatchObject({
        rechecked: true,
        resolution: { source: 'fetched', id: 'new' },
      });
      expect(policyHost.requestsFor('moved.pf.test').length).toBe(before + 1);
      // The new policy lists the MX: no further re-check.
      expect((await sts.lookup('moved.pf.test')).published?.mtaSts).toMatchObject({ rechecked: false });
    });

    it('a failed fetch keeps the valid cached enforce policy, and re-checks at most once per interval', async () => {
      const store = new MemoryMtaStsCacheStore();
      await store.set(cached('moved2.pf.test'));
      const sts = table({ mtaSts: resolver(store) });
      const before = policyHost.requestsFor('moved2.pf.test').length;
      const first = await sts.lookup('moved2.pf.test');
      expect(first.reply).toEqual({ status: 'OK', data: `secure match=mx-old.moved.pf.test ${TAIL}` });
      expect(first.published?.mtaSts).toMatchObject({
        rechecked: true,
        resolution: { source: 'cached', id: 'old', failure: { reason: 'http_status' } },
      });
      const second = await sts.lookup('moved2.pf.test');
      expect(second.reply).toEqual(first.reply);
      expect(second.published?.mtaSts).toMatchObject({ rechecked: false, resolution: { source: 'cached' } });
      expect(policyHost.requestsFor('moved2.pf.test').length).toBe(before + 1);
    });
  });

  it('a mapped next-hop gets its domain’s published requirements; a .parent key only the local rules', async () => {
    const mapped = table({ nextHops: { '[127.0.0.1]:2525': 'all.pf.test', '[127.0.0.1]:2526': 'sts.test' } });
    expect((await mapped.lookup('[127.0.0.1]:2525')).reply).toEqual({
      status: 'OK',
      data: `dane-only ${TAIL}`,
    });
    expect((await mapped.lookup('[127.0.0.1]:2526')).reply).toMatchObject({
      data: expect.stringMatching(/^secure /),
    });
    const parent = await mapped.lookup('.pf.test');
    expect(parent.reply).toEqual({ status: 'OK', data: 'may' });
    expect(parent.published).toBeUndefined();
    // Unmapped bracketed next-hops: the outbound default, no lookups.
    expect((await mapped.lookup('[127.0.0.1]:2527')).published).toBeUndefined();
  });

  it('writes the TLSRPT attributes into MTA-STS answers for Postfix 3.10, never for 3.7', async () => {
    const v310 = await reply('sts.test', { postfixVersion: '3.10' });
    expect(v310).toMatch(
      /^secure match=mx1\.sts\.test:\.mx\.sts\.test protocols=>=TLSv1\.2 servername=hostname policy_type=sts policy_domain=sts\.test policy_ttl=\d+ mx_host_pattern=mx1\.sts\.test mx_host_pattern=\*\.mx\.sts\.test \{ policy_string = version: STSv1 \}/,
    );
    expect(await reply('sts.test', { postfixVersion: '3.7.11' })).not.toMatch(/policy_/);
    expect(await reply('all.pf.test', { postfixVersion: '3.10' })).toBe(`dane-only ${TAIL}`);
  });

  it('DANE alone (no MTA-STS resolver) and MTA-STS alone (no DNSSEC resolver)', async () => {
    const daneOnly = createTlsPolicyTable({ policy, dnssec });
    expect((await daneOnly.lookup('all.pf.test')).reply).toEqual({ status: 'OK', data: `dane-only ${TAIL}` });
    expect((await daneOnly.lookup('sts.test')).published?.mtaSts).toEqual({ status: 'off' });
    const stsOnly = createTlsPolicyTable({ policy, mtaSts: resolver() });
    expect((await stsOnly.lookup('both.pf.test')).reply).toMatchObject({
      data: expect.stringMatching(/^secure /),
    });
    expect((await stsOnly.lookup('both.pf.test')).published?.dane.status).toBe('off');
  });

  it('refuses a value that is not a resolver at construction with EPOLICY naming the field', () => {
    expect(() => createTlsPolicyTable({ policy, mtaSts: {} as never })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'mtaSts' }),
    );
    expect(() => createTlsPolicyTable({ policy, dnssec: { mx: () => 1 } as never })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'dnssec' }),
    );
    expect(() => createTlsPolicyTable({ policy, clock: 'now' as never })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'clock' }),
    );
  });
});
