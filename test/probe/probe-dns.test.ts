import { afterEach, describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import { probeDomain } from '../../src/probe/index.js';
import { createTestNetwork, startTestMx, type TestNetwork } from '../../src/testing/index.js';
import { optionsFor } from './helpers.js';

let network: TestNetwork | undefined;

afterEach(async () => {
  await network?.close();
  network = undefined;
});

describe('probeDomain: finding the mail hosts', () => {
  it('probes every MX in preference order; one bad MX fails the domain', async () => {
    const good = await startTestMx({ name: 'mx1.mandant.test' });
    const backup = await startTestMx({ name: 'mx2.mandant.test', starttls: false });
    const third = await startTestMx({ name: 'mx3.mandant.test' });
    network = createTestNetwork({
      domains: {
        'mandant.test': {
          mx: [
            { exchange: 'mx3.mandant.test', priority: 30 },
            { exchange: 'MX2.mandant.test.', priority: 20 },
            { exchange: 'mx1.mandant.test', priority: 10 },
          ],
        },
      },
      hosts: { 'mx1.mandant.test': good, 'mx2.mandant.test': backup, 'mx3.mandant.test': third },
    });
    const result = await probeDomain('Mandant.TEST', optionsFor(network));
    expect(result.domain).toBe('mandant.test');
    expect(result.hosts.map((h) => [h.host, h.priority, h.status])).toEqual([
      ['mx1.mandant.test', 10, 'starttls_ok'],
      ['mx2.mandant.test', 20, 'starttls_missing'],
      ['mx3.mandant.test', 30, 'starttls_ok'],
    ]);
    expect(result.satisfies).toEqual({ encrypt: false, verify: false, qualified: false });
    expect(result.fingerprints).toEqual([good.fingerprint256, third.fingerprint256]);
    for (const mx of [good, backup, third]) expect(mx.commands()).not.toContain('MAIL');
  });

  it('falls back to the A record when there is no MX (RFC 5321 §5.1)', async () => {
    const bare = await startTestMx({ name: 'a-only.test' });
    network = createTestNetwork({ hosts: { 'a-only.test': bare } });
    const result = await probeDomain('a-only.test', optionsFor(network));
    expect(result.resolution).toBe('a_fallback');
    expect(result.hosts).toEqual([
      expect.objectContaining({ host: 'a-only.test', priority: undefined, status: 'starttls_ok' }),
    ]);
    expect(result.satisfies).toEqual({ encrypt: true, verify: true, qualified: false });
  });

  it.each([
    ['null-mx', 'null_mx', undefined],
    ['nxdomain', 'nxdomain', 'ENOTFOUND'],
    ['nodata', 'no_mail_server', undefined],
    ['timeout', 'dns_error', 'ETIMEOUT'],
    ['servfail', 'dns_error', 'ESERVFAIL'],
  ] as const)('reports %s as resolution %s without connecting', async (answer, resolution, dnsError) => {
    network = createTestNetwork({ domains: { 'mandant.test': answer } });
    const result = await probeDomain('mandant.test', optionsFor(network));
    expect(result).toMatchObject({ resolution, hosts: [], satisfies: { encrypt: false, verify: false } });
    expect(result.dnsError).toBe(dnsError);
    expect(network.calls.filter((c) => c.method === 'connect')).toEqual([]);
  });

  it('marks a host that refuses connections, or has no address, as unreachable', async () => {
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx1.mandant.test', 'mx2.mandant.test'] } },
      hosts: { 'mx1.mandant.test': 'refused' },
    });
    const result = await probeDomain('mandant.test', optionsFor(network));
    expect(result.hosts.map((h) => [h.status, h.reachable, h.error?.code])).toEqual([
      ['unreachable', false, 'ECONNREFUSED'],
      ['unreachable', false, 'ENOTFOUND'],
    ]);
  });

  it('without a connect hook, connects to the address the resolver gives for the MX name', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test' });
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': mx },
    });
    const { connect: _unused, ...rest } = optionsFor(network);
    const result = await probeDomain('mandant.test', { ...rest, port: mx.port });
    expect(result.hosts[0]?.status).toBe('starttls_ok');
    // The MX lookup and the MX host's address; beside them the default MTA-STS resolver's TXT lookup.
    const dns = network.calls.filter((c) => c.method !== 'resolveTxt').map((c) => c.method);
    expect(dns).toEqual(['resolveMx', 'resolve4']);
    expect(network.calls).toContainEqual({ method: 'resolveTxt', name: '_mta-sts.mandant.test' });
  });

  it('throws EADDRESS for an invalid domain and EPOLICY for bad options, naming the field', async () => {
    network = createTestNetwork();
    await expect(probeDomain('not a domain', optionsFor(network))).rejects.toMatchObject({
      code: 'EADDRESS',
    });
    const bad = await probeDomain('mandant.test', optionsFor(network, { ehloName: 'localhost' })).catch(
      (e) => e,
    );
    expect(isForcedTlsError(bad) && bad.code === 'EPOLICY' && bad.path === 'ehloName').toBe(true);
    await expect(probeDomain('mandant.test', optionsFor(network, { port: 0 }))).rejects.toMatchObject({
      path: 'port',
    });
    await expect(
      probeDomain('mandant.test', optionsFor(network, { timeouts: { handshake: -1 } })),
    ).rejects.toMatchObject({ path: 'timeouts.handshake' });
  });

  it('uses an address literal for EHLO when no ehloName is given and the host name is not qualified', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test' });
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': mx },
    });
    const { ehloName: _unused, ...rest } = optionsFor(network);
    await probeDomain('mandant.test', rest);
    const ehlo = mx.log[0]?.line ?? '';
    expect(ehlo).toMatch(/^EHLO (\[127\.0\.0\.1\]|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i);
  });
});
