import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

// Anything a terminal would act on instead of print: C0 but the line feed, DEL, C1, the line and
// paragraph separators, and the bidirectional overrides and isolates.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const ENTRY = {
  id: '0d5c5e43-8f0e-4a43-9c57-2b7f2f7c1e6a',
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const file = (entries: readonly object[]) =>
  `${JSON.stringify({ format: 'forced-tls-whitelist', version: 1, entries }, null, 2)}\n`;

describe('the CLI never prints control characters from a whitelist file (issue 9, point 9)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let store: string;
  beforeEach(async () => {
    tmp = await tempDir();
    store = tmp.path('whitelist.json');
  });
  afterEach(() => tmp.cleanup());

  it.each([
    ['ESC sequences in approvedBy', { approvedBy: 'StB \u001b[2J\u001b[31mMuster' }, 'approvedBy'],
    ['BEL in consentRef', { consentRef: 'EW-1\u0007' }, 'consentRef'],
    ['a C1 CSI in reason', { reason: 'Grund \u009b2J' }, 'reason'],
    ['CRLF in consentRef', { consentRef: 'EW-1\r\nEW-2' }, 'consentRef'],
  ])(
    'a hand-edited file with %s: list fails with ESTORE naming the field, escaped',
    async (_name, patch, field) => {
      await writeFile(store, file([{ ...ENTRY, ...patch }]));
      for (const json of [[], ['--json']]) {
        const r = await cli(['whitelist', 'list', '--store', store, ...json]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^error ESTORE: Whitelist file /);
        expect(r.stderr).toContain(`entries[0].${field}`);
        expect(r.stderr).not.toMatch(RAW_CONTROL);
      }
      const explain = await cli([
        'explain',
        '--policy',
        'examples/policy.json',
        '--whitelist',
        store,
        'a@mandant.example',
      ]);
      expect(explain.code).toBe(1);
      expect(`${explain.stdout}${explain.stderr}`).not.toMatch(RAW_CONTROL);
    },
  );

  it('text the store accepts (bidi controls, line breaks) is printed escaped in the table, the fields and JSON', async () => {
    const reason = 'Mandant \u202eredro ni\u202c wünscht\nZeile 2\tmit Tab';
    const approvedBy = 'StB \u2066Muster\u2069';
    await writeFile(store, file([{ ...ENTRY, reason, approvedBy }]));
    const table = await cli(['whitelist', 'list', '--store', store]);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(RAW_CONTROL);
    expect(table.stdout).toContain('\\u202eredro ni\\u202c wünscht Zeile 2 mit Tab');
    expect(table.stdout).toContain('StB \\u2066Muster\\u2069');
    const json = await cli(['whitelist', 'list', '--store', store, '--json']);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.stdout)).toEqual([{ ...ENTRY, reason, approvedBy }]);
    const explain = await cli([
      'explain',
      '--policy',
      'examples/policy.json',
      '--whitelist',
      store,
      'a@mandant.example',
    ]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('\\u202e');
    expect(explain.stdout).not.toMatch(RAW_CONTROL);
  });

  it('an entry added with a bidi override is shown escaped by add itself', async () => {
    const r = await cli([
      'whitelist',
      'add',
      '--store',
      store,
      'mandant.example',
      '--reason',
      'Grund \u202eesrever',
      '--approved-by',
      'StB Muster',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Grund \\u202eesrever');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });
});
