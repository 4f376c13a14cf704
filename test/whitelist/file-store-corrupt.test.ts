import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FileWhitelistStore } from '../../src/whitelist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENTRY = {
  id: 'e1',
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example.test',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const VALID = { format: 'forced-tls-whitelist', version: 1, entries: [ENTRY] };
const withEntry = (patch: Record<string, unknown>) =>
  JSON.stringify({ ...VALID, entries: [{ ...ENTRY, ...patch }] });

// [name, file content, text the message must contain, JSON path in error.path]
const CASES: ReadonlyArray<readonly [string, string, string, string | undefined]> = [
  ['empty file', '', 'is empty', undefined],
  ['whitespace only', ' \n', 'is empty', undefined],
  ['truncated JSON', JSON.stringify(VALID, null, 2).slice(0, 60), 'not valid JSON', undefined],
  ['not JSON', 'mandant.example.test\n', 'not valid JSON', undefined],
  ['a JSON array', '[]', 'expected a JSON object', undefined],
  ['another format', JSON.stringify({ ...VALID, format: 'other-tool' }), 'format "other-tool"', 'format'],
  ['no format tag', JSON.stringify({ version: 1, entries: [] }), 'format missing', 'format'],
  ['a newer version', JSON.stringify({ ...VALID, version: 2 }), 'version 2', 'version'],
  [
    'an unknown top-level field',
    JSON.stringify({ ...VALID, comment: 'x' }),
    'unknown field "comment"',
    undefined,
  ],
  [
    'entries not an array',
    JSON.stringify({ ...VALID, entries: {} }),
    '"entries" must be an array',
    'entries',
  ],
  [
    'an entry that is not an object',
    JSON.stringify({ ...VALID, entries: [42] }),
    'must be an object',
    'entries[0]',
  ],
  ['a missing reason', withEntry({ reason: undefined }), 'entries[0].reason missing', 'entries[0].reason'],
  [
    'an empty approvedBy',
    withEntry({ approvedBy: ' ' }),
    'must be a non-empty string',
    'entries[0].approvedBy',
  ],
  [
    'a bad direction',
    withEntry({ direction: 'both' }),
    'entries[0].direction "both"',
    'entries[0].direction',
  ],
  ['a bad scope', withEntry({ scope: 'host' }), 'entries[0].scope "host"', 'entries[0].scope'],
  [
    'a value not normalized',
    withEntry({ value: 'Mandant.Example.TEST' }),
    'not a normalized',
    'entries[0].value',
  ],
  ['a Unicode value', withEntry({ value: 'müller.example.test' }), 'not a normalized', 'entries[0].value'],
  [
    'an address in domain scope',
    withEntry({ value: 'a@b.example.test' }),
    'not a normalized',
    'entries[0].value',
  ],
  ['a bad createdAt', withEntry({ createdAt: 'yesterday' }), 'entries[0].createdAt', 'entries[0].createdAt'],
  [
    'an impossible createdAt',
    withEntry({ createdAt: '2026-02-31T00:00:00.000Z' }),
    'ISO 8601',
    'entries[0].createdAt',
  ],
  [
    'an expiresAt at 24:00',
    withEntry({ expiresAt: '2027-01-01T24:00:00.000Z' }),
    'ISO 8601',
    'entries[0].expiresAt',
  ],
  [
    'a non-UTC expiresAt',
    withEntry({ expiresAt: '2027-01-01T00:00:00+01:00' }),
    'ISO 8601 UTC',
    'entries[0].expiresAt',
  ],
  ['an unknown entry field', withEntry({ expires: '2027' }), 'entries[0].expires', 'entries[0].expires'],
  [
    'duplicate ids',
    JSON.stringify({ ...VALID, entries: [ENTRY, { ...ENTRY, value: 'other.example.test' }] }),
    'entries[1].id "e1" is a duplicate',
    'entries[1].id',
  ],
];

describe('FileWhitelistStore with a corrupt, truncated or foreign file', () => {
  test.each(CASES)(
    '%s: ESTORE naming file and problem, and the bytes stay unchanged',
    async (name, text, message, path) => {
      const file = join(dir, `${name.replaceAll(' ', '-')}.json`);
      writeFileSync(file, text);
      const store = new FileWhitelistStore(file);
      const expected = { code: 'ESTORE', ...(path === undefined ? {} : { path }) };
      for (const attempt of [
        () => store.list(),
        () => store.add({ ...ENTRY, id: 'new', value: 'neu.example.test' } as never),
        () => store.remove('e1'),
      ]) {
        const error = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject(expected);
        expect((error as Error).message).toContain(file);
        expect((error as Error).message).toContain(message);
      }
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(readdirSync(dir).filter((f) => f.startsWith(name.replaceAll(' ', '-')))).toEqual([
        `${name.replaceAll(' ', '-')}.json`,
      ]);
    },
  );

  test('every truncation of a valid file is refused and left as it is', async () => {
    const full = JSON.stringify(
      { ...VALID, entries: [ENTRY, { ...ENTRY, id: 'e2', value: 'b.example.test' }] },
      null,
      2,
    );
    const file = join(dir, 'truncations.json');
    for (let cut = 0; cut < full.length - 1; cut += 7) {
      writeFileSync(file, full.slice(0, cut));
      const store = new FileWhitelistStore(file);
      await expect(store.add({ ...ENTRY, id: 'x', value: 'x.example.test' } as never)).rejects.toMatchObject({
        code: 'ESTORE',
      });
      expect(readFileSync(file, 'utf8')).toBe(full.slice(0, cut));
    }
  });

  test('a byte-order mark is accepted', async () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\ufeff${JSON.stringify(VALID)}`);
    expect(await new FileWhitelistStore(file).list()).toEqual([ENTRY]);
  });
});
