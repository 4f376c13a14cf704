import { describe, expect, it } from 'vitest';
import { resolveConnectTarget } from '../../src/dns/connect-target.js';
import { resolveMailHosts } from '../../src/dns/mail-hosts.js';
import type { MxRecord, Resolver } from '../../src/dns/types.js';
import { createTestNetwork, dnsError } from '../../src/testing/index.js';

function mxOnly(records: MxRecord[]): Resolver {
  const none = async (name: string): Promise<string[]> => {
    throw dnsError('ENODATA', 'queryA', name);
  };
  return { resolveMx: async () => records, resolve4: none, resolve6: none };
}

describe('resolveMailHosts', () => {
  it('sorts by preference, keeps equal preferences stable without random, and lists each host once', async () => {
    const found = await resolveMailHosts(
      mxOnly([
        { exchange: 'MX2.Mandant.TEST.', priority: 20 },
        { exchange: 'mx1.mandant.test', priority: 10 },
        { exchange: 'mx3.mandant.test', priority: 10 },
        { exchange: 'mx2.mandant.test', priority: 5 },
        { exchange: 'MX1.mandant.test.', priority: 30 },
      ]),
      'mandant.test',
    );
    expect(found).toEqual({
      resolution: 'mx',
      hosts: [
        { host: 'mx2.mandant.test', priority: 5 },
        { host: 'mx1.mandant.test', priority: 10 },
        { host: 'mx3.mandant.test', priority: 10 },
      ],
    });
  });

  it('shuffles only within equal preference with an injected random source', async () => {
    const records = [
      { exchange: 'a.test', priority: 10 },
      { exchange: 'b.test', priority: 10 },
      { exchange: 'c.test', priority: 20 },
    ];
    const order = async (r: number) =>
      (await resolveMailHosts(mxOnly(records), 'x.test', { random: () => r })).hosts.map((h) => h.host);
    expect(await order(0)).toEqual(['b.test', 'a.test', 'c.test']);
    expect(await order(0.99)).toEqual(['a.test', 'b.test', 'c.test']);
  });

  it('maps null MX, NXDOMAIN, no records, timeouts and the A fallback to a resolution', async () => {
    const network = createTestNetwork({
      domains: {
        'null.test': 'null-mx',
        'gone.test': 'nxdomain',
        'empty.test': 'nodata',
        'slow.test': 'timeout',
        'plain.test': {},
      },
      hosts: { 'plain.test': { host: '127.0.0.1', port: 25 } },
    });
    const of = (d: string) => resolveMailHosts(network.resolver, d);
    expect(await of('null.test')).toEqual({ resolution: 'null_mx', hosts: [] });
    expect(await of('gone.test')).toEqual({ resolution: 'nxdomain', hosts: [], dnsError: 'ENOTFOUND' });
    expect(await of('empty.test')).toEqual({ resolution: 'no_mail_server', hosts: [] });
    expect(await of('slow.test')).toEqual({ resolution: 'dns_error', hosts: [], dnsError: 'ETIMEOUT' });
    expect(await of('plain.test')).toEqual({
      resolution: 'a_fallback',
      hosts: [{ host: 'plain.test', priority: undefined }],
    });
  });
});

describe('resolveConnectTarget', () => {
  it('prefers the hook, passes IP addresses and resolver-less names through, else A then AAAA', async () => {
    const resolver: Resolver = {
      resolveMx: async () => [],
      resolve4: async (h) => {
        if (h === 'v4.test') return ['192.0.2.1'];
        throw dnsError('ENODATA', 'queryA', h);
      },
      resolve6: async (h) => (h === 'v6.test' ? ['2001:db8::1'] : []),
    };
    const hook = async () => ({ host: '127.0.0.1', port: 2525 });
    expect(await resolveConnectTarget('v4.test', 25, { connect: hook, resolver })).toEqual({
      host: '127.0.0.1',
      port: 2525,
    });
    expect(await resolveConnectTarget('192.0.2.9', 25, { resolver })).toEqual({
      host: '192.0.2.9',
      port: 25,
    });
    expect(await resolveConnectTarget('relay.test', 587)).toEqual({ host: 'relay.test', port: 587 });
    expect(await resolveConnectTarget('v4.test', 25, { resolver })).toEqual({ host: '192.0.2.1', port: 25 });
    expect(await resolveConnectTarget('v6.test', 25, { resolver })).toEqual({
      host: '2001:db8::1',
      port: 25,
    });
    await expect(resolveConnectTarget('none.test', 25, { resolver })).rejects.toMatchObject({
      code: 'ENODATA',
    });
  });
});
