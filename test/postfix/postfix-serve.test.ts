// `forced-tls postfix serve` as Postfix runs it: one long-running process, started and stopped by
// its own PID, asked over persistent connections (and by Postfix's own socketmap client, postmap).
import { execFile } from 'node:child_process';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from '../cli/helpers.js';
import {
  type ForegroundProcess,
  freePort,
  startForeground,
  systemServerGate,
  tempDir,
  waitUntil,
} from '../support/system-servers.js';
import { type RawClient, rawClient, request } from './raw-socket.js';

const run = promisify(execFile);
const postmapGate = systemServerGate('postmap', { postmap: ['/usr/sbin/postmap'] });
const ENCRYPT = 'OK encrypt protocols=>=TLSv1.2 servername=hostname';

const policyV1 = {
  outbound: { default: 'encrypt' },
  inbound: { rules: [{ match: 'bank.test', level: 'encrypt' }] },
};
const policyV2 = { outbound: { default: 'encrypt', rules: [{ match: 'partner.de', level: 'verify' }] } };

describe('forced-tls postfix serve', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let serve: ForegroundProcess;
  let socketmapPort = 0;
  let servicePort = 0;
  let client: RawClient;
  let policyFile: string;
  let whitelistFile: string;

  const lines = () =>
    serve
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const logged = (event: string, count = 1) =>
    waitUntil(
      () => lines().filter((l) => l['event'] === event).length >= count,
      10_000,
      () => serve.output(),
    );
  const ask = async (key: string) => {
    const before = (await client.netstrings(0)).length;
    client.send(request('forcedtls', key));
    return (await client.netstrings(before + 1))[before];
  };

  beforeAll(async () => {
    temp = await tempDir('postfix-serve');
    policyFile = join(temp.path, 'policy.json');
    whitelistFile = join(temp.path, 'whitelist.json');
    await writeFile(policyFile, JSON.stringify(policyV1));
    [socketmapPort, servicePort] = [await freePort(), await freePort()];
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
        '--whitelist',
        whitelistFile,
        '--socketmap',
        `127.0.0.1:${socketmapPort}`,
        '--policy-service',
        `127.0.0.1:${servicePort}`,
      ],
      { cwd: ROOT },
    );
    await logged('listening', 2);
    client = await rawClient(socketmapPort);
  }, 30_000);

  afterAll(async () => {
    client?.end();
    await serve?.stop();
    await temp?.remove();
  });

  it('logs JSON lines: the policy, the master.cf transports it needs, both listeners', () => {
    expect(lines().find((l) => l['event'] === 'policy_loaded')).toMatchObject({
      rules: 1,
      masterCfTransports: ['ftls-may'],
    });
    expect(
      lines()
        .filter((l) => l['event'] === 'listening')
        .map((l) => l['address']),
    ).toEqual([`127.0.0.1:${socketmapPort}`, `127.0.0.1:${servicePort}`]);
  });

  it('answers lookups and logs each with its decision', async () => {
    expect(await ask('Partner.DE')).toBe(ENCRYPT);
    await waitUntil(
      () => lines().some((l) => l['event'] === 'lookup' && l['key'] === 'Partner.DE'),
      5000,
      () => serve.output(),
    );
    expect(lines().find((l) => l['key'] === 'Partner.DE')).toMatchObject({
      map: 'forcedtls',
      reply: ENCRYPT,
      source: 'default',
    });
  });

  it('follows a whitelist change on the next lookup (store revision), on the same connection', async () => {
    const added = await cli([
      'whitelist',
      'add',
      'legacy.de',
      '--store',
      whitelistFile,
      '--reason',
      'Mandant wünscht unverschlüsselte Zustellung',
      '--approved-by',
      'StB Müller',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(await ask('legacy.de')).toBe('OK may');
  });

  it('reloads the policy file on change without dropping the connection', async () => {
    await writeFile(policyFile, JSON.stringify(policyV2));
    await logged('policy_reloaded');
    expect(await ask('partner.de')).toBe('OK verify match=hostname protocols=>=TLSv1.2 servername=hostname');
    expect(client.isClosed).toBe(false);
  });

  it('keeps the old policy when the new file is bad, and says so', async () => {
    await writeFile(policyFile, '{ "outbound": { "default": "sometimes" } }');
    await logged('policy_reload_failed');
    expect(lines().find((l) => l['event'] === 'policy_reload_failed')).toMatchObject({
      code: 'EPOLICY',
      kept: 'previous policy',
    });
    expect(await ask('partner.de')).toMatch(/^OK verify /);
  });

  it('reloads on SIGHUP', async () => {
    await writeFile(policyFile, JSON.stringify(policyV1));
    await logged('policy_reloaded', 2);
    const before = lines().filter((l) => l['event'] === 'policy_reloaded').length;
    process.kill(serve.pid, 'SIGHUP');
    await waitUntil(
      () =>
        lines()
          .filter((l) => l['event'] === 'policy_reloaded')
          .slice(before)
          .some((l) => l['reason'] === 'SIGHUP'),
      10_000,
      () => serve.output(),
    );
    expect(await ask('partner.de')).toBe(ENCRYPT);
  });

  it('answers the policy service on its own port and logs the inbound decision', async () => {
    const service = await rawClient(servicePort);
    service.send(
      'request=smtpd_access_policy\nprotocol_state=RCPT\nsender=client@bank.test\nclient_address=127.0.0.1\nencryption_protocol=\n\n',
    );
    expect(await service.replies(1)).toEqual(['action=530 5.7.0 Must issue a STARTTLS command first']);
    service.end();
    await logged('inbound_decision');
    expect(lines().find((l) => l['event'] === 'inbound_decision')).toMatchObject({
      sender: 'client@bank.test',
      outcome: 'reject',
      reason: 'tls_missing',
    });
  });

  describe.skipIf(!postmapGate.available)('with Postfix’s own socketmap client (postmap -q)', () => {
    const dir = () => join(temp.path, 'postmap');
    let ready: Promise<void> | undefined;
    const prepare = async () => {
      await mkdir(dir());
      await writeFile(join(dir(), 'main.cf'), 'myhostname = postmap.forced-tls.test\n');
      // Postfix waits for a main.cf changed within the last second to settle: make it old.
      const past = new Date(Date.now() - 3_600_000);
      await utimes(join(dir(), 'main.cf'), past, past);
    };
    const postmap = async (key: string) => {
      ready ??= prepare();
      await ready;
      try {
        const { stdout } = await run('/usr/sbin/postmap', [
          '-c',
          dir(),
          '-q',
          key,
          `socketmap:inet:127.0.0.1:${socketmapPort}:forcedtls`,
        ]);
        return stdout.trim();
      } catch (error) {
        const e = error as { code: number; stderr: string };
        return `exit ${e.code}: ${e.stderr.trim()}`;
      }
    };

    it.each([
      ['gmx.de', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
      ['Legacy.DE', 'may'],
      ['legacy.de.', 'may'],
      ['.legacy.de', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
      ['[127.0.0.1]:2525', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
    ])('%s → %s', async (key, expected) => {
      expect(await postmap(key)).toBe(expected);
    });

    it('a key that is no next-hop: PERM, which Postfix reports as a lookup error', async () => {
      expect(await postmap('bad key')).toMatch(
        /^exit 1: .*socketmap server permanent error: not a next-hop/s,
      );
    });
  });

  it('stops cleanly on SIGTERM: connections closed, exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
    process.kill(serve.pid, 'SIGTERM');
    expect(await exited).toBe(0);
    await client.closed();
    expect(lines().map((l) => l['event'])).toEqual(expect.arrayContaining(['stopping', 'stopped']));
  });
});
