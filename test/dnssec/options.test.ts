import { describe, expect, it } from 'vitest';
import {
  createDnssecResolver,
  DNSSEC_RESOLVER_DEFAULTS,
  type DnssecResolverOptions,
  normalizeDnsName,
} from '../../src/dnssec/index.js';
import { isForcedTlsError } from '../../src/errors/index.js';

function failure(run: () => unknown): { code: string; path?: string } {
  try {
    run();
  } catch (error) {
    if (isForcedTlsError(error))
      return { code: error.code, ...(error.path === undefined ? {} : { path: error.path }) };
    throw error;
  }
  throw new Error('did not throw');
}

const create = (options: Partial<DnssecResolverOptions>) =>
  createDnssecResolver({ servers: ['127.0.0.1:53'], ...options } as DnssecResolverOptions);

describe('createDnssecResolver options', () => {
  it('has no default resolver: without servers it refuses (DANE stays off)', () => {
    expect(failure(() => createDnssecResolver({} as DnssecResolverOptions))).toEqual({
      code: 'EPOLICY',
      path: 'servers',
    });
    expect(failure(() => create({ servers: [] }))).toEqual({ code: 'EPOLICY', path: 'servers' });
  });

  it('accepts loopback addresses with and without port, IPv4 and IPv6', () => {
    const r = create({ servers: ['127.0.0.1', '127.0.0.53:5353', '::1', '[::1]:5353'] });
    expect(r.servers).toEqual(['127.0.0.1:53', '127.0.0.53:5353', '[::1]:53', '[::1]:5353']);
  });

  it('refuses names (finding the resolver must not need DNS) and malformed ports, naming the entry', () => {
    expect(failure(() => create({ servers: ['localhost:53'] }))).toEqual({
      code: 'EPOLICY',
      path: 'servers[0]',
    });
    expect(failure(() => create({ servers: ['127.0.0.1:53', '127.0.0.1:0'] }))).toEqual({
      code: 'EPOLICY',
      path: 'servers[1]',
    });
    expect(failure(() => create({ servers: ['127.0.0.1:'] }))).toMatchObject({ code: 'EPOLICY' });
    expect(failure(() => create({ servers: [53 as unknown as string] }))).toMatchObject({ code: 'EPOLICY' });
  });

  it('refuses a remote resolver unless allowRemoteServers: its AD bit is unprotected on the way', () => {
    expect(failure(() => create({ servers: ['192.0.2.53'] }))).toEqual({
      code: 'EPOLICY',
      path: 'servers[0]',
    });
    expect(failure(() => create({ servers: ['[2001:db8::53]:53'] }))).toEqual({
      code: 'EPOLICY',
      path: 'servers[0]',
    });
    expect(create({ servers: ['192.0.2.53'], allowRemoteServers: true }).servers).toEqual(['192.0.2.53:53']);
  });

  it('checks the numbers', () => {
    expect(failure(() => create({ timeoutMs: 0 }))).toEqual({ code: 'EPOLICY', path: 'timeoutMs' });
    expect(failure(() => create({ tries: 11 }))).toEqual({ code: 'EPOLICY', path: 'tries' });
    expect(failure(() => create({ deadlineMs: 1.5 }))).toEqual({ code: 'EPOLICY', path: 'deadlineMs' });
    expect(failure(() => create({ udpPayloadSize: 100 }))).toEqual({
      code: 'EPOLICY',
      path: 'udpPayloadSize',
    });
    expect(failure(() => create({ cache: { max: 0 } }))).toEqual({ code: 'EPOLICY', path: 'cache.max' });
  });

  it('documents its defaults', () => {
    expect(DNSSEC_RESOLVER_DEFAULTS).toEqual({
      timeoutMs: 1500,
      tries: 3,
      deadlineMs: 5000,
      udpPayloadSize: 1232,
      cacheMax: 10_000,
      cacheMaxTtl: 86_400,
    });
  });

  it('rejects malformed names with EADDRESS and unknown types or ports with EPOLICY, before any query', async () => {
    const r = create({});
    await expect(r.mx('bad name.test')).rejects.toMatchObject({ code: 'EADDRESS' });
    await expect(r.a('müller.test')).rejects.toMatchObject({ code: 'EADDRESS' });
    await expect(r.lookup('x.test', 'CNAME' as 'A')).rejects.toMatchObject({ code: 'EPOLICY', path: 'type' });
    await expect(r.tlsa('mx.test', 70000)).rejects.toMatchObject({ code: 'EPOLICY', path: 'port' });
    expect(r.stats()).toEqual({ lookups: 0, cacheHits: 0, udpQueries: 0, tcpQueries: 0 });
  });
});

describe('normalizeDnsName', () => {
  it.each([
    ['MX1.Mandant.TEST.', 'mx1.mandant.test'],
    ['_25._tcp.mx.test', '_25._tcp.mx.test'],
    ['xn--mller-kva.test', 'xn--mller-kva.test'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDnsName(input)).toBe(expected);
  });

  it.each([
    '',
    '.',
    'a..b',
    '-a.test',
    'a-.test',
    `${'a'.repeat(64)}.test`,
    `${'a.'.repeat(127)}test`,
    'a b.test',
  ])('refuses %j', (input) => {
    expect(failure(() => normalizeDnsName(input))).toMatchObject({ code: 'EADDRESS' });
  });
});
