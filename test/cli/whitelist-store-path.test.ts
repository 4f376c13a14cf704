import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

// A mistyped store path is an error everywhere the whitelist is read: only `whitelist add` creates
// the file. Before, `list` printed "no entries" (exit 0) and `explain` ignored the file.
describe('a whitelist file that does not exist', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let missing: string;
  beforeEach(async () => {
    tmp = await tempDir();
    missing = tmp.path('wrong-name.json');
  });
  afterEach(() => tmp.cleanup());

  const expectMissing = (r: { code: number; stdout: string; stderr: string }) => {
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error ESTORE: Whitelist file ${missing} does not exist (check the path; "forced-tls whitelist add" creates it)\n`,
    );
    expect(existsSync(missing)).toBe(false);
  };

  it('whitelist list fails with ESTORE, exit 1 (also with --json)', async () => {
    expectMissing(await cli(['whitelist', 'list', '--store', missing]));
    expectMissing(await cli(['whitelist', 'list', '--store', missing, '--json']));
  });

  it('whitelist remove and whitelist audit fail the same way', async () => {
    expectMissing(await cli(['whitelist', 'remove', '--store', missing, 'some-id']));
    expectMissing(await cli(['whitelist', 'audit', '--store', missing]));
  });

  it('explain --whitelist and test-policy --whitelist do not ignore it', async () => {
    expectMissing(
      await cli(['explain', '--policy', 'examples/policy.json', '--whitelist', missing, 'x@a.example']),
    );
    expectMissing(
      await cli([
        'test-policy',
        '--policy',
        'examples/policy.json',
        '--whitelist',
        missing,
        'examples/expectations.json',
      ]),
    );
  });

  it('whitelist add still creates it', async () => {
    const r = await cli([
      'whitelist',
      'add',
      'a.example',
      '--store',
      missing,
      '--reason',
      'r',
      '--approved-by',
      'a',
    ]);
    expect(r.code).toBe(0);
    expect(existsSync(missing)).toBe(true);
    const list = await cli(['whitelist', 'list', '--store', missing, '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it('an existing empty whitelist still lists as "no entries"', async () => {
    const r = await cli([
      'whitelist',
      'add',
      'a.example',
      '--store',
      missing,
      '--reason',
      'r',
      '--approved-by',
      'a',
      '--json',
    ]);
    const { id } = JSON.parse(r.stdout) as { id: string };
    expect((await cli(['whitelist', 'remove', '--store', missing, id])).code).toBe(0);
    expect(await cli(['whitelist', 'list', '--store', missing])).toEqual({
      code: 0,
      stdout: 'no entries\n',
      stderr: '',
    });
  });

  it('--schema and --table are refused for a file store; audit of a file is EUNSUPPORTED', async () => {
    await cli(['whitelist', 'add', 'a.example', '--store', missing, '--reason', 'r', '--approved-by', 'a']);
    const schema = await cli(['whitelist', 'list', '--store', missing, '--schema', 'x']);
    expect(schema.code).toBe(1);
    expect(schema.stderr).toBe(
      'error EUSAGE: --schema applies only to a postgres:// store (see: forced-tls whitelist --help)\n',
    );
    const audit = await cli(['whitelist', 'audit', '--store', missing]);
    expect(audit.code).toBe(1);
    expect(audit.stderr).toMatch(/^error EUNSUPPORTED: This whitelist store keeps no audit trail/);
  });
});
