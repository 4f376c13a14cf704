import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

describe('forced-tls test-policy', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('passes the sample expectations against the sample policy (exit 0)', async () => {
    const r = await cli(['test-policy', '--policy', 'examples/policy.json', 'examples/expectations.json']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ok: 7 expectation(s) hold for examples/policy.json\n');
    expect(r.code).toBe(0);
  });

  it('exits 2 on a mismatch and prints the explain text', async () => {
    const file = tmp.path('expect.json');
    await writeFile(
      file,
      JSON.stringify([
        { address: 'mandant@gmx.example', level: 'encrypt' },
        { address: 'schaden@kfz.versicherung.example', level: 'encrypt', whitelistable: true },
      ]),
    );
    const r = await cli(['test-policy', '--policy', 'examples/policy.json', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('FAIL: 1 of 2 expectation(s) failed');
    expect(r.stdout).toContain(
      'outbound schaden@kfz.versicherung.example: expected level "encrypt", got "verify"',
    );
    expect(r.stdout).toContain('expected whitelistable true, got false');
    expect(r.stdout).toMatch(/verify required, TLS ≥ 1\.2 by rule \*\.versicherung\.example/);
  });

  it('reports mismatches as JSON with --json', async () => {
    const file = tmp.path('expect.json');
    await writeFile(
      file,
      JSON.stringify({ expectations: [{ address: 'x@newsletter.example', level: 'verify' }] }),
    );
    const r = await cli(['test-policy', '--json', '--policy', 'examples/policy.json', file]);
    expect(r.code).toBe(2);
    const result = JSON.parse(r.stdout) as {
      failed: number;
      mismatches: { field: string; actual: unknown }[];
    };
    expect(result.failed).toBe(1);
    expect(result.mismatches[0]).toMatchObject({ field: 'level', actual: 'may' });
  });

  it('exits 1 with one line for a malformed expectations file', async () => {
    const file = tmp.path('bad.json');
    await writeFile(file, JSON.stringify([{ address: 'a@b.example', levl: 'may' }]));
    const r = await cli(['test-policy', '--policy', 'examples/policy.json', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error EPOLICY: .*bad\.json: expectations\[0\]\.levl: unknown field\n$/);
    await writeFile(file, '[{');
    const broken = await cli(['test-policy', '--policy', 'examples/policy.json', file]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error EINPUT: expectations .*bad\.json: invalid JSON/);
    const missing = await cli(['test-policy', '--policy', 'examples/policy.json', 'missing.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error ENOENT: cannot read expectations missing.json: no such file or directory\n',
    );
  });

  it('exits 1 (an input error, not a mismatch) for a value no decision can have, and for an empty table', async () => {
    const file = tmp.path('values.json');
    await writeFile(file, JSON.stringify([{ address: 'a@b.example', level: 'strict' }]));
    const strict = await cli(['test-policy', '--policy', 'examples/policy.json', file]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(
      /^error EPOLICY: .*values\.json: expectations\[0\]\.level: must be one of may, encrypt, verify, fingerprint, qualified, dane, dane-only \(got "strict"\)\n$/,
    );
    for (const empty of ['[]', '{"expectations":[]}']) {
      await writeFile(file, empty);
      const r = await cli(['test-policy', '--policy', 'examples/policy.json', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error EPOLICY: .*the table is empty, so it would check nothing\n$/);
      expect(r.stdout).toBe('');
    }
  });
});
