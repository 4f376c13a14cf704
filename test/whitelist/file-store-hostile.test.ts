import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FileWhitelistStore } from '../../src/whitelist/index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-hostile-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENTRY = {
  id: '0d5c5e43-8f0e-4a43-9c57-2b7f2f7c1e6a',
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example.test',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
  consentRef: 'EW-2026-017',
  createdAt: '2026-01-01T00:00:00.000Z',
} as const;
const NEW: WhitelistEntry = { ...ENTRY, id: 'new-entry', value: 'neu.example.test' };
const fileText = (entries: readonly unknown[]) =>
  `${JSON.stringify({ format: 'forced-tls-whitelist', version: 1, entries }, null, 2)}\n`;
let serial = 0;
const fresh = (name: string) => join(dir, `${serial++}-${name}.json`);

async function rejection(run: () => Promise<unknown>): Promise<Error & { code?: string; path?: string }> {
  const outcome = await run().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, 'expected a rejection').toBeInstanceOf(Error);
  return outcome as Error & { code?: string; path?: string };
}

/** list, add and remove all fail with ESTORE whose message contains `text`, within `ms`. */
async function refusedEverywhere(
  store: FileWhitelistStore,
  text: string,
  ms = 2000,
): Promise<(Error & { path?: string })[]> {
  const errors: (Error & { path?: string })[] = [];
  for (const run of [() => store.list(), () => store.add(NEW), () => store.remove(ENTRY.id)]) {
    const started = performance.now();
    const error = await rejection(run);
    expect(performance.now() - started).toBeLessThan(ms);
    expect(error).toMatchObject({ code: 'ESTORE' });
    expect(error.message).toContain(text);
    errors.push(error);
  }
  return errors;
}

describe('a hand-edited file is checked with the rules of add (issue 9, point 9)', () => {
  test.each([
    ['a 5,000-character reason', { reason: 'x'.repeat(5000) }, 'reason', 'at most 1000 characters'],
    ['approvedBy with a line feed', { approvedBy: 'StB\nMuster' }, 'approvedBy', 'control characters'],
    ['approvedBy with ESC', { approvedBy: 'StB \u001b[31mMuster' }, 'approvedBy', 'control characters'],
    ['approvedBy with BEL', { approvedBy: 'StB Muster\u0007' }, 'approvedBy', 'control characters'],
    ['consentRef with CRLF', { consentRef: 'EW-1\r\nEW-2' }, 'consentRef', 'control characters'],
    ['a reason with CR', { reason: 'Zeile 1\rZeile 2' }, 'reason', 'control characters'],
    ['a reason with a C1 control (CSI)', { reason: 'Grund \u009b31m' }, 'reason', 'control characters'],
    ['a consentRef longer than 200', { consentRef: 'E'.repeat(201) }, 'consentRef', 'at most 200'],
    ['a reason with surrounding blanks', { reason: ' Grund ' }, 'reason', 'white space'],
    ['an id that is no id', { id: 'not-a-uuid ; rm -rf' }, 'id', 'letters, digits'],
    ['an id of 129 characters', { id: 'a'.repeat(129) }, 'id', 'letters, digits'],
  ])('%s: ESTORE naming the entry and the field, file unchanged', async (_name, patch, field, why) => {
    const file = fresh('edited');
    const text = fileText([{ ...ENTRY, ...patch }]);
    writeFileSync(file, text);
    const store = new FileWhitelistStore(file);
    for (const error of await refusedEverywhere(store, `entries[0].${field}`)) {
      expect(error.path).toBe(`entries[0].${field}`);
      expect(error.message).toContain(why);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test('a reason with line breaks and tabs (as add allows) is read', async () => {
    const file = fresh('multiline');
    const entry = { ...ENTRY, reason: 'Zeile 1\nZeile 2\tmit Tab' };
    writeFileSync(file, fileText([entry]));
    expect(await new FileWhitelistStore(file).list()).toEqual([entry]);
  });

  test('the second bad entry is named by its index', async () => {
    const file = fresh('second');
    writeFileSync(
      file,
      fileText([ENTRY, { ...ENTRY, id: 'e2', value: 'b.example.test', approvedBy: 'a\u001bb' }]),
    );
    const error = await rejection(() => new FileWhitelistStore(file).list());
    expect(error).toMatchObject({ code: 'ESTORE', path: 'entries[1].approvedBy' });
  });
});

describe('the file is decoded as strict UTF-8 (issue 9, point 10)', () => {
  test.each([
    ['a 0xFF byte in reason', [0xff], 'byte 0xff'],
    ['a lone continuation byte', [0x80], 'byte 0x80'],
    ['an overlong encoding', [0xc0, 0xaf], 'byte 0xc0'],
    ['a truncated sequence', [0xe2, 0x82], 'byte 0xe2'],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 'byte 0xed'],
  ])('%s: ESTORE naming the offset, and the file is never rewritten', async (_name, bytes, shown) => {
    const file = fresh('utf8');
    const [head, tail] = fileText([{ ...ENTRY, reason: 'Grund X' }]).split('X') as [string, string];
    const data = Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
    writeFileSync(file, data);
    const store = new FileWhitelistStore(file);
    for (const error of await refusedEverywhere(store, 'is not valid UTF-8')) {
      expect(error.message).toContain(`at byte offset ${Buffer.byteLength(head)}`);
      expect(error.message).toContain(shown);
    }
    expect(readFileSync(file).equals(data)).toBe(true);
  });
});

describe('a symbolic link at the store path is refused (issue 9, point 11)', () => {
  test('a link to a valid file: ESTORE; the link and its target stay as they are', async () => {
    const target = fresh('target');
    const text = fileText([ENTRY]);
    writeFileSync(target, text);
    const link = fresh('link');
    symlinkSync(target, link);
    const store = new FileWhitelistStore(link);
    await refusedEverywhere(store, 'is a symbolic link');
    await expect(store.revision()).rejects.toMatchObject({ code: 'ESTORE' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(text);
    expect(existsSync(`${link}.lock`)).toBe(false);
  });

  test('a dangling link: ESTORE, not an empty whitelist; nothing is created at the target', async () => {
    const target = join(dir, 'missing-target.json');
    const link = fresh('dangling');
    symlinkSync(target, link);
    const store = new FileWhitelistStore(link);
    await refusedEverywhere(store, 'is a symbolic link');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(target)).toBe(false);
  });

  test('a link in the directory part of the path is followed as usual', async () => {
    const real = join(dir, 'real-directory');
    mkdirSync(real);
    const linked = join(dir, 'linked-directory');
    symlinkSync(real, linked);
    const store = new FileWhitelistStore(join(linked, 'whitelist.json'));
    await store.add(NEW);
    expect(await new FileWhitelistStore(join(real, 'whitelist.json')).list()).toEqual([NEW]);
  });
});

describe('a FIFO or other non-regular file never hangs the store (issue 9, point 12)', () => {
  test('a FIFO: list, add and remove fail with ESTORE at once, and no lock is left', async () => {
    const file = fresh('fifo');
    const made = spawnSync('mkfifo', [file]);
    expect(made.status, String(made.stderr)).toBe(0);
    const store = new FileWhitelistStore({ path: file, lockTimeoutMs: 500 });
    await refusedEverywhere(store, 'is a FIFO (named pipe), not a regular file', 1500);
    await expect(store.revision()).rejects.toMatchObject({ code: 'ESTORE' });
    expect(lstatSync(file).isFIFO()).toBe(true);
    expect(
      readdirSync(dir).filter(
        (f) => f.startsWith(file.slice(dir.length + 1)) && f !== file.slice(dir.length + 1),
      ),
    ).toEqual([]);
  });

  test('a directory at the path: ESTORE, not "cannot be read"', async () => {
    const file = fresh('directory');
    mkdirSync(file);
    await refusedEverywhere(new FileWhitelistStore(file), 'is a directory');
  });

  test('a FIFO at the lock path: ESTORE naming the lock, no hang', async () => {
    const file = fresh('fifo-lock');
    expect(spawnSync('mkfifo', [`${file}.lock`]).status).toBe(0);
    const error = await rejection(() => new FileWhitelistStore({ path: file, lockTimeoutMs: 500 }).add(NEW));
    expect(error).toMatchObject({ code: 'ESTORE' });
    expect(error.message).toContain(`${file}.lock`);
    expect(error.message).toContain('not a regular file');
  });
});

describe('a huge file is refused with the size limit (issue 9, point 14)', () => {
  test('629 MB of zeros (a sparse file): ESTORE saying its size and the limit, without reading it', async () => {
    const file = fresh('huge');
    writeFileSync(file, '');
    truncateSync(file, 629 * 1024 * 1024);
    const store = new FileWhitelistStore(file);
    const [error] = await refusedEverywhere(
      store,
      "more than the store's limit of 268435456 bytes (option maxFileBytes)",
      1000,
    );
    expect(error?.message).toContain(`is ${629 * 1024 * 1024} bytes`);
    expect(lstatSync(file).size).toBe(629 * 1024 * 1024);
  });

  test('maxFileBytes: a smaller limit refuses a larger file, and an add that would grow past it', async () => {
    const file = fresh('limit');
    const text = fileText([ENTRY]);
    writeFileSync(file, text);
    const tight = new FileWhitelistStore({ path: file, maxFileBytes: 100 });
    await refusedEverywhere(tight, 'limit of 100 bytes');
    const roomy = new FileWhitelistStore({ path: file, maxFileBytes: Buffer.byteLength(text) + 10 });
    expect(await roomy.list()).toHaveLength(1);
    const error = await rejection(() => roomy.add(NEW));
    expect(error).toMatchObject({ code: 'ESTORE' });
    expect(error.message).toContain('would grow to');
    expect(error.message).toContain('nothing was written');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test.each([0, -1, 1.5, 536_870_889, '1000'])('maxFileBytes %j is refused with EPOLICY', (maxFileBytes) => {
    expect(() => new FileWhitelistStore({ path: fresh('x'), maxFileBytes: maxFileBytes as number })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'maxFileBytes' }),
    );
  });
});
