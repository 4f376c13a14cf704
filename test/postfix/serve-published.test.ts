// `forced-tls postfix serve --mta-sts FILE --dnssec-server HOST:PORT`: the long-running process with
// MTA-STS (policies from its cache file) and DANE (nsd + unbound). Every domain asked here has a valid
// entry in the cache file, so the resolver applies it without DNS: nothing reaches the internet.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileMtaStsCacheStore, type MtaStsCacheEntry, type MtaStsMode } from '../../src/mta-sts/index.js';
import { cli, ROOT } from '../cli/helpers.js';
import { type DnssecStack, dnssecGate, startDnssecStack } from '../support/dnssec-stack.js';
import {
  type ForegroundProcess,
  freePort,
  startForeground,
  tempDir,
  waitUntil,
} from '../support/system-servers.js';
import { type RawClient, rawClient, request } from './raw-socket.js';

const gate = dnssecGate();
const TAIL = 'protocols=>=TLSv1.2 servername=hostname';

function entry(domain: string, mode: MtaStsMode, mx: string[] = []): MtaStsCacheEntry {
  const now = Date.now();
  return {
    domain,
    id: '1',
    policy: {
      version: 'STSv1',
      mode,
      maxAge: 86_400,
      mx,
      lines: ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), 'max_age: 86400'],
    },
    fetchedAt: new Date(now).toISOString(),
    checkedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 86_400_000).toISOString(),
  };
}

describe.skipIf(!gate.available)('forced-tls postfix serve with --mta-sts and --dnssec-server', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let stack: DnssecStack;
  let serve: ForegroundProcess;
  let client: RawClient;
  let cacheFile: string;

  const lines = () =>
    serve
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const ask = async (key: string) => {
    const before = (await client.netstrings(0)).length;
    client.send(request('forcedtls', key));
    return (await client.netstrings(before + 1))[before];
  };

  beforeAll(async () => {
    temp = await tempDir('serve-published');
    stack = await startDnssecStack([
      {
        name: 'srv.test',
        signed: true,
        records: [
          { name: 'dane', type: 'MX', value: '10 mx.dane.srv.test' },
          { name: 'mx.dane', type: 'A', value: '127.0.0.1' },
          { name: '_25._tcp.mx.dane', type: 'TLSA', value: `3 1 1 ${'ab'.repeat(32)}` },
          { name: 'bogus', type: 'MX', value: '10 mx.dane.srv.test', tamper: true },
          { name: 'sts', type: 'MX', value: '10 mx.sts.srv.test' },
          { name: 'mx.sts', type: 'A', value: '127.0.0.1' },
        ],
      },
    ]);
    cacheFile = join(temp.path, 'mta-sts.json');
    const store = new FileMtaStsCacheStore(cacheFile);
    await store.set(entry('sts.srv.test', 'enforce', ['mx.sts.srv.test']));
    await store.set(entry('dane.srv.test', 'enforce', ['mx.dane.srv.test']));
    await store.set(entry('bogus.srv.test', 'none'));
    await store.set(entry('plain.test', 'none'));
    await store.close();
    const policyFile = join(temp.path, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ outbound: { default: 'encrypt' } }));
    const port = await freePort();
    serve = startForeground(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/bin.ts',
        'postfix',
        'serve',
        '--policy',
        policyFile,
        '--socketmap',
        `127.0.0.1:${port}`,
        '--mta-sts',
        cacheFile,
        '--dnssec-server',
        stack.resolver,
      ],
      { cwd: ROOT },
    );
    await waitUntil(
      () => lines().some((l) => l['event'] === 'listening'),
      20_000,
      () => serve.output(),
    );
    client = await rawClient(port);
  }, 40_000);

  afterAll(async () => {
    client?.end();
    await serve?.stop();
    await stack?.stop();
    await temp?.remove();
  });

  it('logs the cache file and the DNSSEC resolvers it asks', () => {
    expect(lines().find((l) => l['event'] === 'listening')).toMatchObject({
      server: 'socketmap',
      mtaStsCache: cacheFile,
      dnssecServers: [stack.resolver],
    });
  });

  it('answers MTA-STS enforce with secure, DANE before MTA-STS, bogus DNSSEC with TEMP', async () => {
    expect(await ask('sts.srv.test')).toBe(`OK secure match=mx.sts.srv.test ${TAIL}`);
    expect(await ask('dane.srv.test')).toBe(`OK dane-only ${TAIL}`);
    expect(await ask('bogus.srv.test')).toBe('TEMP forced-tls cannot decide now (EDNSSEC)');
    // Nothing published (an MTA-STS none policy, no mail hosts in DNSSEC): the local default.
    expect(await ask('plain.test')).toBe(`OK encrypt ${TAIL}`);
  });

  it('logs each lookup with the source it enforces and what was published', async () => {
    await ask('dane.srv.test');
    await waitUntil(
      () => lines().filter((l) => l['key'] === 'dane.srv.test').length >= 1,
      5000,
      () => serve.output(),
    );
    expect(lines().find((l) => l['key'] === 'dane.srv.test')).toMatchObject({
      event: 'lookup',
      basis: 'dane',
      mtaSts: { mode: 'enforce', source: 'cached', id: '1' },
      dane: 'dane_required',
    });
    expect(lines().find((l) => l['key'] === 'bogus.srv.test')).toMatchObject({
      reply: 'TEMP forced-tls cannot decide now (EDNSSEC)',
      dane: 'failed',
      error: expect.stringMatching(/^EDNSSEC: DNSSEC lookup of the MX of bogus\.srv\.test: bogus/),
    });
  });

  it('refuses a DNSSEC resolver that is not on loopback before listening', async () => {
    const result = await cli([
      'postfix',
      'serve',
      '--policy',
      join(temp.path, 'policy.json'),
      '--socketmap',
      '127.0.0.1:1',
      '--dnssec-server',
      '192.0.2.53:53',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/EPOLICY/);
    expect(result.stderr).toMatch(/servers\[0\]/);
  });
});
