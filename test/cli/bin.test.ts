import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckServers, startCheckServers } from './check-servers.js';
import { ROOT } from './helpers.js';
import { BUILT_BIN, HAS_BUILT_BIN, runBin, runNode } from './run-bin.js';

const VERSION = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const STACK_LINE = /^\s+at /m;

describe('the forced-tls executable (child processes)', () => {
  let s: CheckServers;
  beforeAll(async () => {
    s = await startCheckServers();
  });
  afterAll(() => s.close());

  it('prints the package version', async () => {
    expect(await runBin(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('exits 1 with one error line and no stack trace; the stack only with --debug', async () => {
    const plain = await runBin([
      'explain',
      '--policy',
      'test/fixtures/cli/broken-policy.json',
      'a@b.example',
    ]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toMatch(/^error EPOLICY: [^\n]+\n$/);
    expect(plain.stderr).not.toMatch(STACK_LINE);
    const debug = await runBin([
      'explain',
      '--debug',
      '--policy',
      'test/fixtures/cli/broken-policy.json',
      'a@b.example',
    ]);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(STACK_LINE);
  });

  it('check: exit 0, 2 and 3 against loopback servers, offline', async () => {
    const base = ['check', '--dns-fixture', s.fixture, '--ehlo-name', 'client.test', '--timeout', '3000'];
    const [ok, fail, network] = await Promise.all([
      runBin([...base, '--level', 'verify', '--ca', s.ca, 'tls.test']),
      runBin([...base, 'tls.test', 'plain.test']),
      runBin([...base, 'broken.test']),
    ]);
    expect([ok.code, fail.code, network.code]).toEqual([0, 2, 3]);
    expect(ok.stdout).toMatch(/tls\s+TLSv1\.3/);
    expect(fail.stdout).toContain('plain.test  FAIL for encrypt');
    expect(network.stderr).toBe('');
  });

  it.skipIf(!HAS_BUILT_BIN)(
    'the built bin (dist/cli/bin.cjs) runs, reports its version and one-line errors',
    async () => {
      expect(await runNode([BUILT_BIN, '--version'])).toEqual({
        code: 0,
        stdout: `${VERSION}\n`,
        stderr: '',
      });
      const bad = await runNode([BUILT_BIN, 'whitelist', 'frob']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(
        'error EUSAGE: unknown subcommand "frob": use add, remove, list or audit (see: forced-tls whitelist --help)\n',
      );
    },
  );
});
