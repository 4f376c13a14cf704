import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystemResolver, withLookupDeadline } from '../../src/cli/check-resolver.js';
import type { Resolver } from '../../src/dns/index.js';

// The deadline `check` puts on every DNS lookup (`--timeout`), counted from the call.

const never = <T>() => new Promise<T>(() => {});
const silentResolver: Resolver = {
  resolveMx: () => never(),
  resolve4: () => never(),
  resolve6: () => never(),
  resolveTxt: () => never(),
};

describe('DNS lookups with a deadline', () => {
  let silent: Socket;
  let silentAt: string;
  let queries = 0;
  beforeAll(async () => {
    silent = createSocket('udp4');
    silent.on('message', () => queries++);
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    silentAt = `127.0.0.1:${silent.address().port}`;
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it('ends a lookup that never answers with ETIMEOUT, shaped like node:dns', async () => {
    const resolver = withLookupDeadline(silentResolver, 100);
    const started = Date.now();
    await expect(resolver.resolveMx('mandant.test')).rejects.toMatchObject({
      code: 'ETIMEOUT',
      syscall: 'queryMx',
      hostname: 'mandant.test',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(resolver.resolveTxt?.('_mta-sts.mandant.test')).rejects.toMatchObject({
      code: 'ETIMEOUT',
      syscall: 'queryTxt',
    });
    await expect(resolver.resolve6('mx.mandant.test')).rejects.toMatchObject({ syscall: 'queryAaaa' });
  });

  it('passes answers and errors through, and keeps a resolver without TXT lookups without one', async () => {
    const fast: Resolver = {
      resolveMx: async () => [{ exchange: 'mx.mandant.test', priority: 10 }],
      resolve4: async () => ['127.0.0.1'],
      resolve6: () => Promise.reject(Object.assign(new Error('queryAaaa ENODATA'), { code: 'ENODATA' })),
    };
    const resolver = withLookupDeadline(fast, 1000);
    await expect(resolver.resolveMx('mandant.test')).resolves.toEqual([
      { exchange: 'mx.mandant.test', priority: 10 },
    ]);
    await expect(resolver.resolve4('mx.mandant.test')).resolves.toEqual(['127.0.0.1']);
    await expect(resolver.resolve6('mx.mandant.test')).rejects.toMatchObject({ code: 'ENODATA' });
    expect(resolver.resolveTxt).toBeUndefined();
  });

  it('the system resolver asks its server and gives up at the deadline', async () => {
    const resolver = createSystemResolver(300, [silentAt]);
    const started = Date.now();
    await expect(resolver.resolveMx('mandant.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(queries).toBeGreaterThan(0);
  });
});
