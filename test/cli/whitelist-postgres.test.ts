import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';
import { cli, tempDir } from './helpers.js';

/** Replaces ids and times, which differ between runs and stores, so outputs can be compared. */
function shape(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '<time>');
}

describe.skipIf(!postgresGate.available)('forced-tls whitelist --store postgres://', () => {
  let server: TestPostgres;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    server = await startTestPostgres();
    tmp = await tempDir();
  });
  afterAll(async () => {
    await server?.destroy();
    await tmp?.cleanup();
  });

  /** The same commands against a file and against PostgreSQL. */
  const session = (store: string, extra: string[]) => {
    const wl = (sub: string, ...args: string[]) =>
      cli(['whitelist', sub, '--store', store, ...extra, ...args]);
    return async () => {
      const results = [];
      const add = await wl(
        'add',
        'kanzlei-alt.example',
        '--reason',
        'Einwilligung',
        '--approved-by',
        'Dr. B',
        '--consent-ref',
        'EW-1',
        '--expires',
        '2027-06-30',
        '--actor',
        'sekretariat',
      );
      results.push(add);
      results.push(await wl('add', '*.praxis.example', '--reason', 'r', '--approved-by', 'a', '--json'));
      results.push(await wl('add', 'bad domain', '--reason', 'r', '--approved-by', 'a'));
      results.push(await wl('add', 'x.example', '--approved-by', 'a'));
      results.push(await wl('list', '--now', '2028-01-01T00:00Z'));
      results.push(await wl('list', '--direction', 'inbound'));
      const id = /^added (\S+)/.exec(add.stdout)?.[1] ?? '';
      results.push(await wl('remove', id, 'no-such-id'));
      results.push(await wl('remove', '--actor', 'admin', id));
      results.push(await wl('list', '--json'));
      results.push(
        await cli([
          'explain',
          '--policy',
          'examples/policy.json',
          '--whitelist',
          store,
          ...extra,
          'x@a.praxis.example',
        ]),
      );
      return results;
    };
  };

  it('prints the same output and exits with the same codes as with a file', async () => {
    const file = await session(tmp.path('whitelist.json'), [])();
    const pg = await session(server.url, ['--schema', uniqueSchema('cli')])();
    expect(pg.map((r) => r.code)).toEqual([0, 0, 1, 1, 0, 0, 1, 0, 0, 0]);
    expect(pg.map((r) => ({ ...r, stdout: shape(r.stdout), stderr: shape(r.stderr) }))).toEqual(
      file.map((r) => ({ ...r, stdout: shape(r.stdout), stderr: shape(r.stderr) })),
    );
  });

  it('whitelist audit prints the trail as a table, JSON or CSV, from --since on', async () => {
    const schema = uniqueSchema('audit');
    const wl = (sub: string, ...args: string[]) =>
      cli(['whitelist', sub, '--store', server.url, '--schema', schema, ...args]);
    expect(await wl('audit')).toEqual({ code: 0, stdout: 'no audit records\n', stderr: '' });
    const added = JSON.parse(
      (
        await wl(
          'add',
          'mandant.example',
          '--reason',
          'Einwilligung, "schriftlich"\nzweite Zeile',
          '--approved-by',
          'StB',
          '--json',
          '--actor',
          'sekretariat',
        )
      ).stdout,
    ) as { id: string };
    await wl('add', 'mandant.example', '--reason', 'erneuert', '--approved-by', 'StB');
    await wl('remove', added.id, '--actor', 'admin');

    const table = await wl('audit');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^SEQ\s+AT\s+ACTION\s+ACTOR\s+ID\s+DIRECTION\s+SCOPE\s+VALUE\s+APPROVED BY\s+CONSENT\s+REASON$/,
    );
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(2, 4))).toEqual([
      ['add', 'sekretariat'],
      ['replace', 'StB'],
      ['remove', 'admin'],
    ]);

    const json = JSON.parse((await wl('audit', '--json')).stdout) as {
      seq: number;
      type: string;
      previous?: unknown;
    }[];
    expect(json.map((r) => [r.seq, r.type, r.previous !== undefined])).toEqual([
      [1, 'add', false],
      [2, 'add', true],
      [3, 'remove', false],
    ]);

    const csv = await wl('audit', '--csv');
    const rows = csv.stdout.split('\r\n');
    expect(rows[0]).toBe(
      'seq,at,action,actor,id,direction,scope,value,reason,approved_by,consent_ref,created_at,expires_at,previous',
    );
    expect(rows[1]).toMatch(
      new RegExp(
        `^1,\\S+Z,add,sekretariat,${added.id},outbound,domain,mandant\\.example,"Einwilligung, ""schriftlich""\\nzweite Zeile",StB,,\\S+Z,,$`,
      ),
    );
    expect(rows[2]).toMatch(/^2,.*,replace,StB,.*,"\{""id"":/);
    expect(rows).toHaveLength(5); // header, three records, and the empty string after the last CRLF

    const since = await wl('audit', '--json', '--since', '2999-01-01');
    expect(JSON.parse(since.stdout)).toEqual([]);
    const bad = await wl('audit', '--since', 'yesterday');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error EUSAGE: --since must be/);
    expect((await wl('audit', '--json', '--csv')).stderr).toMatch(
      /^error EUSAGE: use --json or --csv, not both/,
    );
  });

  it('test-policy --whitelist postgres:// decides with the entries of that schema and table', async () => {
    const schema = uniqueSchema('testpolicy');
    const added = await cli([
      'whitelist',
      'add',
      '*.praxis.example',
      '--store',
      server.url,
      '--schema',
      schema,
      '--reason',
      'Einwilligung',
      '--approved-by',
      'StB',
    ]);
    expect(added.code).toBe(0);
    const expectations = tmp.path('whitelisted.json');
    await writeFile(
      expectations,
      JSON.stringify([{ address: 'x@a.praxis.example', level: 'may', source: 'whitelist' }]),
    );
    const testPolicy = (...args: string[]) =>
      cli([
        'test-policy',
        '--policy',
        'examples/policy.json',
        '--whitelist',
        server.url,
        ...args,
        expectations,
      ]);
    expect(await testPolicy('--schema', schema)).toEqual({
      code: 0,
      stdout: 'ok: 1 expectation(s) hold for examples/policy.json\n',
      stderr: '',
    });
    // Another schema holds no entry: the default decides, and the expectation fails.
    const other = await testPolicy('--schema', uniqueSchema('empty'));
    expect(other.code).toBe(2);
    expect(other.stdout).toContain('expected level "may", got "encrypt"');
    const file = await cli([
      'test-policy',
      '--policy',
      'examples/policy.json',
      '--schema',
      schema,
      expectations,
    ]);
    expect(file.code).toBe(1);
    expect(file.stderr).toMatch(
      /^error EUSAGE: --schema and --table apply only to a postgres:\/\/ --whitelist/,
    );
  });

  it('an unreachable database is ESTORE with exit 1, and the password is never printed', async () => {
    const r = await cli(['whitelist', 'list', '--store', 'postgres://app:s3cret@127.0.0.1:1/db']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error ESTORE: PostgreSQL whitelist forced_tls\.whitelist: connecting and loading the entries failed: /,
    );
    expect(r.stderr).not.toContain('s3cret');
  });
});
