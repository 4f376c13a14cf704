import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

describe('forced-tls whitelist', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let store: string;
  beforeEach(async () => {
    tmp = await tempDir();
    store = tmp.path('whitelist.json');
  });
  afterEach(() => tmp.cleanup());

  const add = (...args: string[]) => cli(['whitelist', 'add', '--store', store, ...args]);

  it('adds an entry with reason, approver, consent and expiry; infers the scope', async () => {
    const r = await add(
      'kanzlei-alt.example',
      '--reason',
      'client consented in writing',
      '--approved-by',
      'Dr. Berater',
      '--consent-ref',
      'DOC-2026-17',
      '--expires',
      '2027-06-30',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^added \S+\n/);
    expect(r.stdout).toMatch(/scope\s+domain/);
    expect(r.stdout).toMatch(/expires\s+2027-06-30T00:00:00\.000Z/);
    const sub = await add('*.praxis.example', '--reason', 'r', '--approved-by', 'a', '--json');
    expect(JSON.parse(sub.stdout)).toMatchObject({
      scope: 'subdomains',
      value: 'praxis.example',
      direction: 'outbound',
    });
    const addr = await add(
      'Anna@Mandant.example',
      '--direction',
      'inbound',
      '--reason',
      'r',
      '--approved-by',
      'a',
      '--json',
    );
    expect(JSON.parse(addr.stdout)).toMatchObject({
      scope: 'address',
      value: 'anna@mandant.example',
      direction: 'inbound',
    });
    expect(await readFile(store, 'utf8')).toContain('DOC-2026-17');
  });

  it.each([
    [['--approved-by', 'Dr. Berater'], '--reason'],
    [['--reason', 'consent on file'], '--approved-by'],
    [['--reason', '  ', '--approved-by', 'x'], '--reason'],
  ])(
    'refuses an entry without reason or approver (%j) with EWHITELIST and stores nothing',
    async (args, missing) => {
      const r = await add('kanzlei-alt.example', ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error EWHITELIST: refused: an entry needs ${missing} (who approved it and why)\n`,
      );
      // Nothing stored: not even the file was created.
      expect(existsSync(store)).toBe(false);
    },
  );

  it('refuses a malformed domain as an invalid entry (EWHITELIST, as the library does) and stores nothing', async () => {
    const r = await add('bad domain', '--reason', 'r', '--approved-by', 'a');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error EWHITELIST: Invalid whitelist entry: value "bad domain": Invalid domain "bad domain"/,
    );
    const list = await cli(['whitelist', 'list', '--store', store, '--json']);
    expect(list.stdout === '' ? [] : JSON.parse(list.stdout)).toEqual([]);
  });

  it('refuses a public suffix unless allowed, and a bad date', async () => {
    const suffix = await add('co.uk', '--reason', 'r', '--approved-by', 'a');
    expect(suffix.code).toBe(1);
    expect(suffix.stderr).toBe(
      'error EWHITELIST: Invalid whitelist entry: value "co.uk": co.uk is a public suffix; pass --allow-public-suffix to allow it\n',
    );
    expect((await add('co.uk', '--reason', 'r', '--approved-by', 'a', '--allow-public-suffix')).code).toBe(0);
    const date = await add('a.example', '--reason', 'r', '--approved-by', 'a', '--expires', 'next week');
    expect(date.code).toBe(1);
    expect(date.stderr).toMatch(/^error EWHITELIST: Invalid whitelist entry: --expires "next week"/);
  });

  it.each([
    ['a time without a zone', '2027-01-31T10:00', 'with a zone'],
    ['an impossible date', '2027-02-31', 'not a valid time'],
    ['a past instant', '2020-01-01T00:00Z', 'must be after now'],
  ])('refuses --expires with %s like the library (EWHITELIST) and stores nothing', async (_, value, why) => {
    const r = await add('a.example', '--reason', 'r', '--approved-by', 'a', '--expires', value);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error EWHITELIST: Invalid whitelist entry: --expires /);
    expect(r.stderr).toContain(why);
    expect(existsSync(store)).toBe(false);
  });

  it('stores --expires with a zone as that instant in UTC', async () => {
    const r = await add(
      'a.example',
      '--reason',
      'r',
      '--approved-by',
      'a',
      '--expires',
      '2027-01-31T10:00+01:00',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ expiresAt: '2027-01-31T09:00:00.000Z' });
  });

  it.each(['2027-01-31T10:00', 'tomorrow', '2027-02-31T00:00Z'])(
    'refuses --now %j (no zone, no date, impossible) with EUSAGE',
    async (now) => {
      for (const args of [
        ['whitelist', 'list', '--store', store],
        ['explain', '--policy', 'examples/policy.json', 'x@a.example'],
      ]) {
        const r = await cli([...args, '--now', now]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^error EUSAGE: --now must be an ISO 8601 time with a zone/);
      }
    },
  );

  it('reads --now with a zone or as a date alone (00:00 UTC)', async () => {
    await add('alt.example', '--reason', 'r', '--approved-by', 'a', '--expires', '2027-06-30T12:00Z');
    const status = async (now: string) =>
      (await cli(['whitelist', 'list', '--store', store, '--now', now])).stdout.includes(' expired ');
    expect(await status('2027-06-30')).toBe(false);
    expect(await status('2027-06-30T13:59+02:00')).toBe(false);
    expect(await status('2027-06-30T14:00+02:00')).toBe(true);
  });

  it('lists entries as a table with expired ones marked, or as JSON', async () => {
    await add(
      'alt.example',
      '--reason',
      'legacy server',
      '--approved-by',
      'Dr. B',
      '--expires',
      '2027-06-30',
    );
    await add('neu.example', '--reason', 'consent', '--approved-by', 'Dr. B');
    const table = await cli(['whitelist', 'list', '--store', store, '--now', '2028-01-01T00:00:00Z']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^ID\s+DIRECTION\s+SCOPE\s+VALUE\s+STATUS\s+EXPIRES\s+APPROVED BY\s+CONSENT\s+REASON$/,
    );
    expect(table.stdout).toMatch(
      /outbound\s+domain\s+alt\.example\s+expired\s+2027-06-30T00:00:00\.000Z\s+Dr\. B/,
    );
    expect(table.stdout).toMatch(/neu\.example\s+active\s+-\s+Dr\. B\s+-\s+consent$/m);
    const json = JSON.parse(
      (await cli(['whitelist', 'list', '--store', store, '--json'])).stdout,
    ) as unknown[];
    expect(json).toHaveLength(2);
    const inbound = await cli(['whitelist', 'list', '--store', store, '--direction', 'inbound']);
    expect(inbound.stdout).toBe('no entries\n');
  });

  it('removes by id; an unknown id removes nothing and exits 1', async () => {
    const added = JSON.parse(
      (await add('a.example', '--reason', 'r', '--approved-by', 'x', '--json')).stdout,
    ) as {
      id: string;
    };
    const wrong = await cli(['whitelist', 'remove', '--store', store, added.id, 'no-such-id']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('error EWHITELIST: no entry with id no-such-id\n');
    expect(JSON.parse((await cli(['whitelist', 'list', '--store', store, '--json'])).stdout)).toHaveLength(1);
    const ok = await cli(['whitelist', 'remove', '--store', store, '--actor', 'admin', added.id]);
    expect(ok).toEqual({ code: 0, stdout: `removed ${added.id}\n`, stderr: '' });
    expect(JSON.parse((await cli(['whitelist', 'list', '--store', store, '--json'])).stdout)).toEqual([]);
  });

  it('applies whitelist entries in explain', async () => {
    await add(
      'legacy.example',
      '--reason',
      'client consented',
      '--approved-by',
      'Dr. B',
      '--consent-ref',
      'K-1',
    );
    const r = await cli([
      'explain',
      '--policy',
      'examples/policy.json',
      '--whitelist',
      store,
      'x@legacy.example',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('x@legacy.example  may  plaintext allowed  (whitelist)');
    expect(r.stdout).toContain('reason "client consented", approved by Dr. B, consent K-1');
  });

  it('ignores an expired entry in explain (--now after --expires)', async () => {
    await add('legacy.example', '--reason', 'consent', '--approved-by', 'Dr. B', '--expires', '2027-06-30');
    const args = ['explain', '--policy', 'examples/policy.json', '--whitelist', store];
    const before = await cli([...args, '--now', '2027-06-29T23:59:59Z', 'x@legacy.example']);
    expect(before.stdout).toContain('x@legacy.example  may  plaintext allowed  (whitelist)');
    const after = await cli([...args, '--now', '2027-06-30T00:00:00Z', 'x@legacy.example']);
    expect(after.stdout).toContain('x@legacy.example  encrypt  TLS required  (default)');
  });

  it('needs a subcommand and --store', async () => {
    expect((await cli(['whitelist'])).stderr).toContain('error EUSAGE: missing subcommand');
    expect((await cli(['whitelist', 'list'])).stderr).toContain('error EUSAGE: missing --store');
  });
});
