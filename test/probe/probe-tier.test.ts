import { afterEach, describe, expect, it } from 'vitest';
import { checkDomainLevel, createProber, probeDomain } from '../../src/probe/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { type MtaStsWorld, mtaStsWorld, optionsFor, strongCertificate } from './helpers.js';

// The best tier a sender can count on for a domain: the weakest MX host it may use decides.

const ENFORCE = policyText('enforce', ['mx1.mandant.test', 'mx2.mandant.test']);
const qualifiedMx = () =>
  ({
    tls: {
      ...strongCertificate('mx1.mandant.test'),
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
    },
  }) as const;
let world: MtaStsWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the domain tier', () => {
  it('a qualified primary and an encrypted backup: the backup decides, with its reasons only', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': qualifiedMx(), 'mx2.mandant.test': {} },
      policy: ENFORCE,
    });
    const prober = createProber(optionsFor(world.network));
    const result = await prober.probe('mandant.test');
    expect(result.hosts.map((h) => h.tier?.tier)).toEqual(['qualified', 'encrypted']);
    expect(result.tier).toEqual({
      tier: 'encrypted',
      authentication: 'mta-sts',
      weakest: 'mx2.mandant.test',
      usable: ['mx1.mandant.test', 'mx2.mandant.test'],
      skipped: [],
      reasons: [
        {
          code: 'outside_bsi_profile',
          text: 'outside_bsi_profile: peer key rsa 2048 bits',
          host: 'mx2.mandant.test',
        },
      ],
    });
    expect(result.satisfies).toEqual({ encrypt: true, verify: true, qualified: false });
    const check = await checkDomainLevel(prober, 'mandant.test', 'qualified');
    expect(check).toMatchObject({ ok: false, reason: 'not_qualified', code: 'ENOTQUALIFIED' });
    expect(check.failing.map((h) => h.host)).toEqual(['mx2.mandant.test']);
  });

  it('an unreachable backup proves nothing: the domain tier is unknown, and says which host and why', async () => {
    world = await mtaStsWorld({ hosts: { 'mx1.mandant.test': qualifiedMx() }, policy: ENFORCE });
    world.network.setDomain('mandant.test', { mx: ['mx1.mandant.test', 'mx2.mandant.test'] });
    world.network.setHost('mx2.mandant.test', 'refused');
    const result = await probeDomain('mandant.test', optionsFor(world.network));
    expect(result.hosts[1]).toMatchObject({
      status: 'unreachable',
      tier: { tier: 'unknown', authentication: 'none', proven: [] },
      mtaSts: { verdict: 'not_reached', refuses: false },
    });
    expect(result.hosts[1]).not.toHaveProperty('refused');
    expect(result.tier).toMatchObject({
      tier: 'unknown',
      weakest: 'mx2.mandant.test',
      reasons: [
        {
          code: 'not_reached',
          text: 'not_reached: unreachable (ECONNREFUSED): nothing proven about its TLS',
          host: 'mx2.mandant.test',
        },
      ],
    });
  });

  it('a null MX: no host, tier unknown', async () => {
    world = await mtaStsWorld({ hosts: {} });
    world.network.setDomain('mandant.test', 'null-mx');
    const result = await probeDomain('mandant.test', optionsFor(world.network));
    expect(result.tier).toEqual({
      tier: 'unknown',
      authentication: 'none',
      usable: [],
      skipped: [],
      reasons: [{ code: 'no_hosts', text: 'no_hosts: the domain has no mail host (null_mx)' }],
    });
    expect(result.satisfies.qualified).toBe(false);
  });
});
