import { describe, expect, it } from 'vitest';
import { discoverMtaSts, parseMtaStsTxt } from '../../src/mta-sts/index.js';
import { createTestNetwork, type TestDomain } from '../../src/testing/index.js';

function lookup(txt: TestDomain | undefined, domain = 'mandant.test') {
  const network = createTestNetwork({ domains: txt === undefined ? {} : { [`_mta-sts.${domain}`]: txt } });
  return { network, result: discoverMtaSts(network.resolver, domain) };
}

describe('parseMtaStsTxt (RFC 8461 §3.1 ABNF)', () => {
  it.each([
    ['v=STSv1; id=20260115T093000', '20260115T093000'],
    ['v=STSv1;id=1', '1'],
    ['v=STSv1; id=abc;', 'abc'],
    ['v=STSv1 ;\tid=abc ; ', 'abc'],
    ['v=STSv1; id=ABCdef123; ext=value; x.y-z_1=a:b', 'ABCdef123'],
    ['v=STSv1; ext=1; id=a', 'a'],
    [`v=STSv1; id=${'a'.repeat(32)}`, 'a'.repeat(32)],
    ['v=STSv1; id=abc   ', 'abc'],
  ])('valid: %s', (record, id) => {
    expect(parseMtaStsTxt(record)).toEqual({ status: 'valid', id });
  });

  it.each([
    ['no id field', 'v=STSv1;'],
    ['no id field', 'v=STSv1; ext=1'],
    ['an id with a hyphen', 'v=STSv1; id=2026-01-15'],
    ['an id with a space', 'v=STSv1; id=abc def'],
    ['an empty id', 'v=STSv1; id='],
    ['a 33-character id', `v=STSv1; id=${'a'.repeat(33)}`],
    ['two id fields', 'v=STSv1; id=1; id=2'],
    ['an empty field', 'v=STSv1;; id=1'],
    ['a field without "="', 'v=STSv1; id=1; junk'],
    ['an extension value with "="', 'v=STSv1; id=1; a=b=c'],
    ['another version', 'v=STSv2; id=1'],
    ['a lowercase version', 'v=stsv1; id=1'],
    ['an uppercase ID key', 'v=STSv1; ID=1'],
    ['no ";" after the version', 'v=STSv1 id=1'],
    ['something glued to the version', 'v=STSv10; id=1'],
  ])('invalid: %s (%s)', (_why, record) => {
    expect(parseMtaStsTxt(record)).toMatchObject({ status: 'invalid', problem: expect.any(String) });
  });
});

describe('discoverMtaSts: the TXT record of exactly _mta-sts.<domain>', () => {
  it('exactly one valid record: found, with its id', async () => {
    const { network, result } = lookup({ txt: ['v=STSv1; id=20260115'] });
    expect(await result).toEqual({
      name: '_mta-sts.mandant.test',
      status: 'found',
      id: '20260115',
      record: 'v=STSv1; id=20260115',
      records: 1,
    });
    expect(network.calls).toEqual([{ method: 'resolveTxt', name: '_mta-sts.mandant.test' }]);
  });

  it('the strings of one record are concatenated without spaces', async () => {
    const { result } = lookup({ txt: [['v=STSv1;', ' id=abc', 'def']] });
    expect(await result).toMatchObject({ status: 'found', id: 'abcdef', record: 'v=STSv1; id=abcdef' });
  });

  it('a string boundary inside the id joins without a space', async () => {
    const { result } = lookup({ txt: [['v=STSv1; id=12', '34']] });
    expect(await result).toMatchObject({ status: 'found', id: '1234' });
  });

  it('two v=STSv1 records: no policy (multiple)', async () => {
    const { result } = lookup({ txt: ['v=STSv1; id=1', 'v=STSv1; id=2'] });
    expect(await result).toEqual({ name: '_mta-sts.mandant.test', status: 'multiple', records: 2 });
  });

  it('two identical records still count as two: no policy', async () => {
    const { result } = lookup({ txt: ['v=STSv1; id=1', 'v=STSv1; id=1'] });
    expect(await result).toMatchObject({ status: 'multiple', records: 2 });
  });

  it('records not beginning "v=STSv1;" are discarded before counting', async () => {
    const { result } = lookup({
      txt: ['google-site-verification=abc', 'v=spf1 -all', 'v=STSv1 ; id=spaced', 'v=STSv1; id=7'],
    });
    expect(await result).toMatchObject({ status: 'found', id: '7', records: 1 });
  });

  it('only other TXT records: not_found', async () => {
    const { result } = lookup({ txt: ['v=spf1 -all'] });
    expect(await result).toEqual({ name: '_mta-sts.mandant.test', status: 'not_found', records: 0 });
  });

  it('a bad id: invalid, with the record and the problem', async () => {
    const { result } = lookup({ txt: ['v=STSv1; id=not-alnum!'] });
    expect(await result).toMatchObject({
      status: 'invalid',
      record: 'v=STSv1; id=not-alnum!',
      records: 1,
      problem: expect.stringContaining('id must be 1-32 letters or digits'),
    });
  });

  it('NXDOMAIN and NODATA: not_found with the DNS code', async () => {
    expect(await lookup(undefined).result).toMatchObject({ status: 'not_found', dnsError: 'ENOTFOUND' });
    expect(await lookup({ mx: ['mx.mandant.test'] }).result).toMatchObject({
      status: 'not_found',
      dnsError: 'ENODATA',
    });
  });

  it('a timeout or SERVFAIL: dns_error, not "no policy"', async () => {
    expect(await lookup('timeout').result).toMatchObject({ status: 'dns_error', dnsError: 'ETIMEOUT' });
    expect(await lookup('servfail').result).toMatchObject({ status: 'dns_error', dnsError: 'ESERVFAIL' });
  });

  it('a lookup that never answers ends by its deadline as ETIMEOUT', async () => {
    const resolver = {
      resolveMx: async () => [],
      resolve4: async () => [],
      resolve6: async () => [],
      resolveTxt: () => new Promise<string[][]>(() => undefined),
    };
    const started = Date.now();
    const result = await discoverMtaSts(resolver, 'mandant.test', { timeoutMs: 100 });
    expect(result).toMatchObject({ status: 'dns_error', dnsError: 'ETIMEOUT' });
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('looks up the subdomain itself, never its parent', async () => {
    const network = createTestNetwork({
      domains: { '_mta-sts.mandant.test': { txt: ['v=STSv1; id=parent'] } },
    });
    const result = await discoverMtaSts(network.resolver, 'sub.mandant.test');
    expect(result).toMatchObject({ name: '_mta-sts.sub.mandant.test', status: 'not_found' });
    expect(network.calls.map((c) => c.name)).toEqual(['_mta-sts.sub.mandant.test']);
  });
});
