import { X509Certificate } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTlsaRecord, daneRequirement, matchTlsa, tlsaAssociationData } from '../../src/dane/index.js';
import { createDnssecResolver } from '../../src/dnssec/index.js';
import { rejectionReply } from '../../src/inbound/index.js';
import { createPolicy, decideDomain } from '../../src/index.js';
import { discoverMtaSts, mtaStsFailure, parseMtaStsPolicy } from '../../src/mta-sts/index.js';
import {
  createInboundPolicy,
  createSocketmapServer,
  encodeNetstring,
  parsePostqueueJson,
  queuedTlsRefusals,
  transportName,
} from '../../src/postfix/index.js';
import { createPostgresWhitelistStore } from '../../src/stores/postgres/index.js';
import { defaultTestCa, startTestPolicyHost } from '../../src/testing/index.js';
import { typedError } from './expect-typed.js';
import { hostileValues } from './hostile-values.js';

// Representative cases of the typed errors the fuzz suite found missing in the subpaths added since
// the first entry points (each threw a TypeError, a RangeError or a proxy's own error before), and
// the behaviour behind the fixes that is more than a typed error.

const policy = createPolicy({ outbound: { default: 'encrypt' } });
const throwingProxy = hostileValues().find(([name]) => name === 'a throwing Proxy')?.[1];
const leaf = new X509Certificate(defaultTestCa().issue({ names: ['mx.mandant.test'] }).cert);

describe('the subpaths answer wrong-typed arguments with typed errors (issue 9, points 7 and 8)', () => {
  it.each([
    ['decideDomain without a policy', () => decideDomain('mandant.test' as never, 'mandant.test'), 'policy'],
    [
      'decideDomain with a scope that is none',
      () => decideDomain(policy, 'a.test', { scope: 'x' as never }),
      'scope',
    ],
    [
      'rejectionReply with details a proxy',
      () => rejectionReply('tls_missing', 'permanent', throwingProxy as never, true),
      'details.protocol',
    ],
    ['daneRequirement with lookups a proxy', () => daneRequirement(throwingProxy as never), 'lookups.mx'],
    [
      'matchTlsa with records that are no array',
      () => matchTlsa([leaf], 5 as never, { names: [] }),
      'records',
    ],
    [
      'tlsaAssociationData with selector 7 (was a RangeError)',
      () => tlsaAssociationData(leaf, 7, 1),
      'selector',
    ],
    ['createTlsaRecord with usage 1n', () => createTlsaRecord(leaf, 1n as never, 1, 1), 'usage'],
    [
      'createDnssecResolver with options a proxy',
      () => createDnssecResolver(throwingProxy as never),
      'servers',
    ],
    ['mtaStsFailure with an invalid Date', () => mtaStsFailure('timeout', 'x', new Date(Number.NaN)), 'at'],
    [
      'parseMtaStsPolicy of a Buffer',
      () => parseMtaStsPolicy(Buffer.from('version: STSv1') as never),
      'text',
    ],
    ['encodeNetstring of a number', () => encodeNetstring(5 as never), 'payload'],
    [
      'transportName with a level that is none',
      () => transportName({ level: 'x' } as never),
      'requirement.level',
    ],
    ['queuedTlsRefusals without a policy', () => queuedTlsRefusals([], {} as never), 'policy'],
    ['createInboundPolicy with options a proxy', () => createInboundPolicy(throwingProxy as never), 'policy'],
    [
      'createPostgresWhitelistStore with options a proxy',
      () => createPostgresWhitelistStore(throwingProxy as never),
      'options',
    ],
    [
      'startTestPolicyHost with a policy status of 1n',
      () => startTestPolicyHost({ policies: { 'a.test': { status: 1n as never } } }),
      'policies.a.test.status',
    ],
  ])('%s: EPOLICY naming the field', async (_name, call, path) => {
    await typedError(call, { code: 'EPOLICY', path });
  });

  it('parsePostqueueJson of a number: EPOSTFIX naming text', async () => {
    await typedError(() => parsePostqueueJson(1 as never), { code: 'EPOSTFIX', path: 'text' });
  });

  it('discoverMtaSts with a domain that is no string: EADDRESS', async () => {
    const resolver = { resolveTxt: async () => [] };
    await typedError(() => discoverMtaSts(resolver as never, 1n as never), {
      code: 'EADDRESS',
      path: 'domain',
    });
  });
});

describe('what the fixes do beyond the typed error', () => {
  it('a resolver answering TXT with something else than records: dns_error EBADRESP, no TypeError', async () => {
    for (const answer of [null, 'v=STSv1; id=1', [['v=STSv1; id=1', 5]], [Symbol('x')]]) {
      const resolver = { resolveTxt: async () => answer };
      const txt = await discoverMtaSts(resolver as never, 'mandant.test');
      expect(txt).toEqual({
        name: '_mta-sts.mandant.test',
        status: 'dns_error',
        records: 0,
        dnsError: 'EBADRESP',
      });
    }
  });

  const server = createSocketmapServer({
    maps: { broken: { lookup: async () => ({ reply: { status: 'OK', data: 5 } as never }) } },
  });
  let port = 0;
  beforeAll(async () => {
    const bound = await server.listen({ host: '127.0.0.1', port: 0 });
    port = 'port' in bound ? bound.port : 0;
  });
  afterAll(() => server.close());

  it('a socketmap table whose reply is malformed is answered TEMP (Postfix defers), twice in a row', async () => {
    const socket = connect(port, '127.0.0.1');
    const replies: string[] = [];
    socket.on('data', (chunk: Buffer) => replies.push(chunk.toString('latin1')));
    socket.write(Buffer.concat([encodeNetstring('broken a.test'), encodeNetstring('broken b.test')]));
    await expect
      .poll(() => replies.join(''), { timeout: 2000 })
      .toBe('19:TEMP internal error,19:TEMP internal error,');
    socket.destroy();
  });

  it('a second listen() rejects with EPOLICY naming listen; the server keeps serving', async () => {
    await typedError(() => server.listen({ host: '127.0.0.1', port: 0 }), {
      code: 'EPOLICY',
      path: 'listen',
    });
    const socket = connect(port, '127.0.0.1');
    const replies: string[] = [];
    socket.on('data', (chunk: Buffer) => replies.push(chunk.toString('latin1')));
    socket.write(encodeNetstring('broken c.test'));
    await expect.poll(() => replies.join(''), { timeout: 2000 }).toBe('19:TEMP internal error,');
    socket.destroy();
  });
});
