import { afterEach, describe, expect, it } from 'vitest';
import { createMtaStsResolver } from '../../src/mta-sts/index.js';
import { checkDomainLevel, createProber, probeDomain } from '../../src/probe/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { expectProbeOnly, type MtaStsWorld, mtaStsWorld, optionsFor } from './helpers.js';

// MTA-STS in the probe against a test policy host (HTTPS on loopback, the test CA) and test MX
// servers: what the domain publishes, which MX hosts match, what enforce refuses and testing reports.

let world: MtaStsWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const PATTERNS = ['mx1.mandant.test', '*.mx.mandant.test'];
const HOSTS = { 'mx1.mandant.test': {}, 'c.mx.mandant.test': {}, 'a.b.mx.mandant.test': {} };

describe('MTA-STS in the probe', () => {
  it('enforce: id, mode, max_age, patterns and provenance; matching hosts; a two-label-deep MX does not match *.', async () => {
    world = await mtaStsWorld({
      hosts: HOSTS,
      policy: policyText('enforce', PATTERNS, 86_400),
      id: '20270101',
    });
    const result = await probeDomain('mandant.test', optionsFor(world.network));
    expect(result.mtaSts).toMatchObject({
      status: 'resolved',
      source: 'fetched',
      mode: 'enforce',
      id: '20270101',
      maxAge: 86_400,
      mx: PATTERNS,
      ageSeconds: 0,
      changed: true,
      txt: { name: '_mta-sts.mandant.test', status: 'found', id: '20270101' },
      matching: ['mx1.mandant.test', 'c.mx.mandant.test'],
      notMatching: ['a.b.mx.mandant.test'],
    });
    expect(result.mtaSts).not.toHaveProperty('failure');
    const [mx1, c, ab] = result.hosts;
    expect(mx1?.mtaSts).toEqual({
      mode: 'enforce',
      pattern: 'mx1.mandant.test',
      mxMatched: true,
      verdict: 'ok',
      refuses: false,
    });
    expect(c?.mtaSts).toMatchObject({ pattern: '*.mx.mandant.test', verdict: 'ok' });
    expect(c?.tier).toMatchObject({ authentication: 'mta-sts' });
    expect(ab?.mtaSts).toEqual({ mode: 'enforce', mxMatched: false, verdict: 'mx_mismatch', refuses: true });
    expect(ab?.refused).toEqual({
      by: 'mta-sts',
      code: 'EMTASTS',
      transient: true,
      tlsRpt: 'validation-failure',
      message: 'MTA-STS enforce: mx_mismatch for a.b.mx.mandant.test',
    });
    expect(ab?.tier?.reasons.map((r) => r.code)).toContain('mta_sts_mx_mismatch');
    // A compliant sender skips the refused host; the weakest of the others decides.
    expect(result.tier).toMatchObject({
      usable: ['mx1.mandant.test', 'c.mx.mandant.test'],
      skipped: ['a.b.mx.mandant.test'],
      authentication: 'mta-sts',
      tier: 'encrypted', // the default test certificates have RSA-2048 keys, outside the profile
    });
    expect(result.tier?.reasons).toContainEqual({
      code: 'host_skipped',
      text: 'host_skipped: a.b.mx.mandant.test: EMTASTS (MTA-STS enforce: mx_mismatch for a.b.mx.mandant.test)',
      host: 'a.b.mx.mandant.test',
    });
    expect(world.policyHost.requestsFor('mandant.test')).toHaveLength(1);
    for (const mx of Object.values(world.mx)) expectProbeOnly(mx);
  });

  it('enforce: the relay check refuses the domain at verify because one MX is not allowed (EMTASTS, transient)', async () => {
    world = await mtaStsWorld({ hosts: HOSTS, policy: policyText('enforce', PATTERNS) });
    const check = await checkDomainLevel(createProber(optionsFor(world.network)), 'mandant.test', 'verify');
    expect(check).toMatchObject({
      ok: false,
      reason: 'mta_sts_refused',
      code: 'EMTASTS',
      transient: true,
      detail: 'MTA-STS enforce: mx_mismatch for a.b.mx.mandant.test',
    });
    expect(check.failing.map((h) => h.host)).toEqual(['a.b.mx.mandant.test']);
  });

  it('enforce raises encrypt to a valid certificate: a self-signed MX is refused even at encrypt', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': { certificate: 'self-signed' } },
      policy: policyText('enforce', PATTERNS),
    });
    const prober = createProber(optionsFor(world.network));
    const result = await prober.probe('mandant.test');
    expect(result.hosts[0]).toMatchObject({
      status: 'cert_invalid',
      mtaSts: { verdict: 'certificate_invalid', refuses: true },
      refused: { code: 'EMTASTS', tlsRpt: 'certificate-not-trusted' },
    });
    expect(await checkDomainLevel(prober, 'mandant.test', 'encrypt')).toMatchObject({
      ok: false,
      reason: 'mta_sts_refused',
      code: 'EMTASTS',
    });
  });

  it('testing: the same non-matching MX is only reported; nothing is refused', async () => {
    world = await mtaStsWorld({ hosts: HOSTS, policy: policyText('testing', PATTERNS) });
    const prober = createProber(optionsFor(world.network));
    const result = await prober.probe('mandant.test');
    expect(result.mtaSts).toMatchObject({
      source: 'fetched',
      mode: 'testing',
      notMatching: ['a.b.mx.mandant.test'],
    });
    const ab = result.hosts.find((h) => h.host === 'a.b.mx.mandant.test');
    expect(ab?.mtaSts).toEqual({ mode: 'testing', mxMatched: false, verdict: 'mx_mismatch', refuses: false });
    expect(result.hosts.every((h) => h.refused === undefined)).toBe(true);
    expect(result.hosts[0]?.tier?.reasons.map((r) => r.code)).toEqual([
      'outside_bsi_profile',
      'not_authenticated',
      'mta_sts_not_enforce',
    ]);
    expect(result.tier?.skipped).toEqual([]);
    expect((await checkDomainLevel(prober, 'mandant.test', 'verify')).ok).toBe(true);
  });

  it('no policy: no TXT record means source none, and no host is judged against patterns', async () => {
    world = await mtaStsWorld({ hosts: { 'mx1.mandant.test': {} } });
    const result = await probeDomain('mandant.test', optionsFor(world.network));
    expect(result.mtaSts).toEqual({
      status: 'resolved',
      source: 'none',
      mode: 'none',
      txt: { name: '_mta-sts.mandant.test', status: 'not_found', records: 0, dnsError: 'ENOTFOUND' },
      changed: false,
      matching: [],
      notMatching: [],
    });
    expect(result.hosts[0]).not.toHaveProperty('mtaSts');
    expect(result.hosts[0]?.facts).not.toHaveProperty('mtaStsMode');
  });

  it('a published policy in mode none: fetched, reported, and authenticates nothing', async () => {
    world = await mtaStsWorld({ hosts: { 'mx1.mandant.test': {} }, policy: policyText('none', []) });
    const result = await probeDomain('mandant.test', optionsFor(world.network));
    expect(result.mtaSts).toMatchObject({ source: 'fetched', mode: 'none', matching: [], notMatching: [] });
    expect(result.hosts[0]).not.toHaveProperty('mtaSts');
    expect(result.hosts[0]?.tier?.reasons).toContainEqual({
      code: 'mta_sts_not_enforce',
      text: 'mta_sts_not_enforce: the MTA-STS policy is in mode none',
    });
  });

  it('a fetch failure with a valid cached enforce policy: the cache stays in force, reported as cached with the failure', async () => {
    world = await mtaStsWorld({ hosts: HOSTS, policy: policyText('enforce', PATTERNS) });
    let now = Date.parse('2027-01-01T00:00:00Z');
    const clock = () => new Date(now);
    const { network, policyHost } = world;
    // The sender's own resolver, shared with the probe: what it has cached is what the probe shows.
    const mtaSts = createMtaStsResolver({
      resolver: network.resolver,
      connect: network.connect,
      ca: network.ca.cert,
      clock,
    });
    const prober = createProber(optionsFor(network, { mtaSts, clock }));
    expect((await prober.probe('mandant.test')).mtaSts).toMatchObject({ source: 'fetched', id: '1' });

    network.setDomain('_mta-sts.mandant.test', { txt: ['v=STSv1; id=2'] });
    policyHost.setPolicy('mandant.test', { status: 500 });
    now += 3_600_000;
    const result = await prober.probe('mandant.test', { fresh: true });
    expect(result.mtaSts).toMatchObject({
      source: 'cached',
      mode: 'enforce',
      id: '1',
      previousId: '1',
      changed: false,
      ageSeconds: 3600,
      txt: { status: 'found', id: '2' },
      failure: { reason: 'http_status', resultType: 'sts-policy-fetch-error', httpStatus: 500, id: '2' },
      notMatching: ['a.b.mx.mandant.test'],
    });
    // Still enforced: the host the cached policy does not list is still refused.
    expect(result.hosts.find((h) => h.host === 'a.b.mx.mandant.test')?.refused).toMatchObject({
      code: 'EMTASTS',
    });
  });

  it('mtaSts: false does not look, and says so', async () => {
    world = await mtaStsWorld({ hosts: HOSTS, policy: policyText('enforce', PATTERNS) });
    const result = await probeDomain('mandant.test', optionsFor(world.network, { mtaSts: false }));
    expect(result.mtaSts).toEqual({ status: 'off', off: 'disabled', matching: [], notMatching: [] });
    expect(world.network.calls.some((c) => c.method === 'resolveTxt')).toBe(false);
    expect(world.policyHost.requests).toEqual([]);
    expect(result.hosts.every((h) => h.refused === undefined)).toBe(true);
  });

  it('a resolver whose cache store fails: not known whether enforce applies, so the relay check fails closed', async () => {
    world = await mtaStsWorld({ hosts: { 'mx1.mandant.test': {} } });
    const broken = {
      get: async () => {
        throw new Error('disk gone');
      },
      set: async () => undefined,
      delete: async () => false,
    };
    const mtaSts = createMtaStsResolver({ resolver: world.network.resolver, store: broken });
    const prober = createProber(optionsFor(world.network, { mtaSts }));
    const check = await checkDomainLevel(prober, 'mandant.test', 'encrypt');
    expect(check.result?.mtaSts).toMatchObject({ status: 'error', error: { code: 'ESTORE' } });
    expect(check).toMatchObject({ ok: false, reason: 'mta_sts_unknown', code: 'EMTASTS', transient: true });
  });
});
