import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/policy.js';
import type { ProtocolErrorEvent } from '../../src/postfix/server-connections.js';
import { createSocketmapServer, type SocketmapLookupEvent } from '../../src/postfix/socketmap-server.js';
import { createTlsPolicyTable } from '../../src/postfix/tls-policy-table.js';
import { rawClient, request } from './raw-socket.js';

const policy = createPolicy({
  outbound: { default: 'encrypt', rules: [{ match: 'legacy.de', level: 'may' }] },
});
const ENCRYPT = 'OK encrypt protocols=>=TLSv1.2 servername=hostname';

describe('socketmap server on a real socket', () => {
  const lookups: SocketmapLookupEvent[] = [];
  const errors: ProtocolErrorEvent[] = [];
  let release: () => void = () => {};
  const server = createSocketmapServer({
    maps: {
      forcedtls: createTlsPolicyTable({ policy }),
      slow: {
        lookup: (key) =>
          new Promise((resolve) => {
            release = () => resolve({ reply: { status: 'OK', data: `slow ${key}` } });
          }),
      },
      never: { lookup: () => new Promise(() => {}) },
      broken: {
        lookup: () => Promise.reject(new Error('table bug')),
      },
    },
    lookupTimeoutMs: 300,
    maxRequestLength: 200,
    onLookup: (e) => lookups.push(e),
    onProtocolError: (e) => errors.push(e),
  });
  let port = 0;
  beforeAll(async () => {
    const bound = await server.listen({ host: '127.0.0.1', port: 0 });
    port = 'port' in bound ? bound.port : 0;
  });
  afterAll(() => server.close());

  it('answers several requests on one connection, in order, also when they arrive together', async () => {
    const c = await rawClient(port);
    c.send(
      Buffer.concat([
        request('forcedtls', 'gmx.de'),
        request('forcedtls', 'Legacy.DE'),
        request('forcedtls', '.de'),
      ]),
    );
    expect(await c.netstrings(3)).toEqual([ENCRYPT, 'OK may', ENCRYPT]);
    c.send(request('forcedtls', 'web.de'));
    expect((await c.netstrings(4))[3]).toBe(ENCRYPT);
    c.end();
  });

  it('decodes a request split into single bytes', async () => {
    const c = await rawClient(port);
    for (const byte of request('forcedtls', 'legacy.de')) c.send(Buffer.from([byte]));
    expect(await c.netstrings(1)).toEqual(['OK may']);
    c.end();
  });

  it('keeps reply order when an earlier lookup is slower than a later one', async () => {
    const c = await rawClient(port);
    c.send(Buffer.concat([request('slow', 'first'), request('forcedtls', 'legacy.de')]));
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await c.netstrings(2)).toEqual(['OK slow first', 'OK may']);
    c.end();
  });

  it('answers PERM for an unknown map name and keeps the connection', async () => {
    const c = await rawClient(port);
    c.send(request('other', 'gmx.de'));
    c.send(request('forcedtls', 'legacy.de'));
    expect(await c.netstrings(2)).toEqual(['PERM no map named other', 'OK may']);
    c.end();
  });

  it('answers TIMEOUT when a table does not answer within the deadline, TEMP when it throws', async () => {
    const c = await rawClient(port);
    const started = Date.now();
    c.send(request('never', 'gmx.de'));
    expect(await c.netstrings(1)).toEqual(['TIMEOUT no decision within 300 ms']);
    expect(Date.now() - started).toBeLessThan(2000);
    c.send(request('broken', 'gmx.de'));
    expect((await c.netstrings(2))[1]).toBe('TEMP internal error');
    c.end();
  });

  it('answers PERM for a request that is not UTF-8', async () => {
    const c = await rawClient(port);
    c.send(Buffer.concat([Buffer.from('12:forcedtls '), Buffer.from([0xff, 0xfe]), Buffer.from(',')]));
    expect(await c.netstrings(1)).toEqual(['PERM request is not UTF-8']);
    c.end();
  });

  it.each([
    ['a malformed length', 'x:forcedtls gmx.de,', 'length_not_a_number'],
    ['a missing comma', '16:forcedtls gmx.de;', 'missing_comma'],
    ['a request over maxRequestLength', '201:', 'length_too_long'],
    ['a request without a key', '9:forcedtls,', 'request_without_key'],
  ])('closes the connection on %s, and keeps serving others', async (_what, bytes, problem) => {
    const other = await rawClient(port);
    const c = await rawClient(port);
    const before = errors.length;
    c.send(bytes);
    await c.closed();
    expect(errors.slice(before)).toEqual([expect.objectContaining({ problem, remoteAddress: '127.0.0.1' })]);
    other.send(request('forcedtls', 'legacy.de'));
    expect(await other.netstrings(1)).toEqual(['OK may']);
    other.end();
  });

  it('keeps an idle connection open (Postfix closes it after 10 s itself)', async () => {
    const c = await rawClient(port);
    await new Promise((r) => setTimeout(r, 1200));
    expect(c.isClosed).toBe(false);
    c.send(request('forcedtls', 'legacy.de'));
    expect(await c.netstrings(1)).toEqual(['OK may']);
    c.end();
  });

  it('reports every lookup with its key, reply and the decision behind it', async () => {
    const c = await rawClient(port);
    const before = lookups.length;
    c.send(request('forcedtls', 'Legacy.DE'));
    await c.netstrings(1);
    c.end();
    const event = lookups[before]!;
    expect(event).toMatchObject({ map: 'forcedtls', key: 'Legacy.DE', reply: { status: 'OK', data: 'may' } });
    expect(event.answer).toMatchObject({ decision: { source: 'rule', rule: { pattern: 'legacy.de' } } });
    expect(event.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(event.at)).not.toBeNaN();
  });

  it('closes every connection on close()', async () => {
    const own = createSocketmapServer({ maps: { forcedtls: createTlsPolicyTable({ policy }) } });
    const bound = await own.listen({ host: '127.0.0.1', port: 0 });
    const c = await rawClient('port' in bound ? bound.port : 0);
    c.send(request('forcedtls', 'legacy.de'));
    await c.netstrings(1);
    expect(own.connections).toBe(1);
    await own.close();
    await c.closed();
  });
});

describe('socketmap server options', () => {
  const table = createTlsPolicyTable({ policy });
  it('refuse a non-loopback listener unless allowRemote, and bad limits, with EPOLICY', async () => {
    const server = createSocketmapServer({ maps: { forcedtls: table } });
    await expect(server.listen({ host: '0.0.0.0', port: 0 })).rejects.toMatchObject({
      code: 'EPOLICY',
      path: 'listen.host',
    });
    expect(() => createSocketmapServer({ maps: {} })).toThrow(expect.objectContaining({ path: 'maps' }));
    expect(() => createSocketmapServer({ maps: { 'a b': table } })).toThrow(
      expect.objectContaining({ code: 'EPOLICY' }),
    );
    expect(() => createSocketmapServer({ maps: { forcedtls: table }, lookupTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ path: 'lookupTimeoutMs' }),
    );
  });
});
