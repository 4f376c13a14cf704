import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectDomains } from '../../src/cli/domain-list.js';
import { isForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { tempDir } from './helpers.js';

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isForcedTlsError(error)) throw new Error(`expected a ForcedTlsError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('check: the domain list', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('takes the domain of an address with the same normalization as a recipient', async () => {
    const file = tmp.path('list.txt');
    await writeFile(file, 'Anna.Muster@KANZLEI.test\r\n  # comment\nbücher.test\n');
    expect(await collectDomains(['x@Praxis.test', 'praxis.test'], file)).toEqual([
      'praxis.test',
      'kanzlei.test',
      'xn--bcher-kva.test',
    ]);
  });

  it.each(['a@b@c.test', '@c.test', 'anna@', 'user@[192.0.2.1]'])(
    'refuses the malformed address %j with EADDRESS, naming the line',
    async (bad) => {
      const file = tmp.path('list.txt');
      await writeFile(file, `ok.test\n\n${bad}\n`);
      const { code, message } = await failure(collectDomains([], file));
      expect(code).toBe('EADDRESS');
      expect(message).toMatch(/list\.txt line 3: Invalid (address|domain) /);
      const arg = await failure(collectDomains([bad], undefined));
      expect(arg.code).toBe('EADDRESS');
      expect(arg.message).toMatch(/^argument: Invalid (address|domain) /);
    },
  );
});
