import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ForcedTlsError } from '../../src/errors/index.js';
import {
  createPolicy,
  createWhitelist,
  MemoryWhitelistStore,
  normalizeAddress,
  normalizeDomain,
  normalizePattern,
  type PolicyConfig,
} from '../../src/index.js';
import { FileWhitelistStore } from '../../src/stores/file/index.js';
import { typedError } from './expect-typed.js';
import { hostileValues } from './hostile-values.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-json-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE = hostileValues();
const VALID_INPUT = {
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example.test',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
} as const;

describe('values JSON cannot represent give typed errors naming the path (issue 9, point 7)', () => {
  it.each(HOSTILE)('createPolicy with %s as outbound.default: EPOLICY at outbound.default', async (_n, v) => {
    const error = await typedError(
      () => createPolicy({ outbound: { default: v } } as unknown as PolicyConfig),
      { code: 'EPOLICY' },
    );
    // A getter or a cycle inside the value is named where it is.
    expect((error as ForcedTlsError).path).toMatch(/^outbound\.default(\.|\[|$)/);
  });

  it.each(HOSTILE)('createPolicy with %s as a rule: EPOLICY at outbound.rules[0]', async (_n, v) => {
    const error = await typedError(
      () => createPolicy({ outbound: { rules: [v] } } as unknown as PolicyConfig),
      { code: 'EPOLICY' },
    );
    expect((error as ForcedTlsError).path).toMatch(/^outbound\.rules\[0\]/);
  });

  // An empty null-prototype object is an empty configuration, which is valid.
  it.each(HOSTILE.filter(([name]) => name !== 'a null-prototype object'))(
    'createPolicy with %s as the whole configuration: EPOLICY',
    async (_n, v) => {
      await typedError(() => createPolicy(v as PolicyConfig), { code: 'EPOLICY' });
    },
  );

  it('a sparse rules array names the hole', async () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the test
    const config = { outbound: { rules: [, { match: 'a.example.test', level: 'may' }] } };
    await typedError(() => createPolicy(config as unknown as PolicyConfig), {
      code: 'EPOLICY',
      path: 'outbound.rules[0]',
    });
  });

  it('a throwing getter deep in the configuration names its path', async () => {
    const rule = Object.defineProperty({ match: 'a.example.test' }, 'level', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    await typedError(() => createPolicy({ outbound: { rules: [rule] } } as unknown as PolicyConfig), {
      code: 'EPOLICY',
      path: 'outbound.rules[0].level',
    });
  });

  it('a circular configuration names where the cycle closes', async () => {
    const outbound: Record<string, unknown> = { default: 'encrypt' };
    outbound['rules'] = [outbound];
    await typedError(() => createPolicy({ outbound } as unknown as PolicyConfig), {
      code: 'EPOLICY',
      path: 'outbound.rules[0]',
    });
  });

  it.each(HOSTILE)('policy.outbound/inbound and the normalizers with %s: EADDRESS', async (_n, v) => {
    const policy = createPolicy({});
    await typedError(() => policy.outbound(v as string), { code: 'EADDRESS' });
    await typedError(() => policy.inbound(v as string), { code: 'EADDRESS' });
    await typedError(() => normalizeAddress(v as string), { code: 'EADDRESS' });
    await typedError(() => normalizeDomain(v as string), { code: 'EADDRESS' });
    await typedError(() => normalizePattern(v as string), { code: 'EADDRESS' });
  });

  it.each(HOSTILE)('whitelist add/find/remove with %s: EWHITELIST, nothing stored', async (_n, v) => {
    const store = new MemoryWhitelistStore();
    const whitelist = createWhitelist(store);
    await typedError(() => whitelist.add(v as never), { code: 'EWHITELIST' });
    for (const field of Object.keys(VALID_INPUT)) {
      await typedError(() => whitelist.add({ ...VALID_INPUT, [field]: v } as never), {
        code: 'EWHITELIST',
        path: field,
      });
    }
    await typedError(() => whitelist.add(VALID_INPUT, v as string), { code: 'EWHITELIST', path: 'actor' });
    await typedError(() => whitelist.find(v as 'outbound', 'mandant.example.test'), {
      code: 'EWHITELIST',
      path: 'direction',
    });
    await typedError(() => whitelist.find('outbound', v as string), { code: 'EWHITELIST', path: 'value' });
    await typedError(() => whitelist.remove(v as string, 'admin'), { code: 'EWHITELIST', path: 'id' });
    expect(await store.list()).toEqual([]);
  });

  it.each(HOSTILE)('new FileWhitelistStore with %s as mode: EPOLICY at mode', async (_n, v) => {
    await typedError(() => new FileWhitelistStore({ path: join(dir, 'x.json'), mode: v as number }), {
      code: 'EPOLICY',
      path: 'mode',
    });
  });

  it('toJSON() describes a BigInt value instead of failing (FileWhitelistStore mode: 1n)', async () => {
    const error = await typedError(() => new FileWhitelistStore({ path: 'x', mode: 1n as never }), {
      code: 'EPOLICY',
      path: 'mode',
    });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ path: 'mode', value: '[bigint 1n]' });
  });
});

describe('ForcedTlsError.toJSON() always serializes (issue 9, point 7)', () => {
  it.each(HOSTILE)('with %s as value and as cause', (_name, v) => {
    for (const options of [{ value: v }, { cause: v }, { value: { nested: [v, { deeper: v }] } }]) {
      const text = JSON.stringify(new ForcedTlsError('EPOLICY', 'x', options));
      expect(JSON.parse(text)).toMatchObject({ code: 'EPOLICY', message: 'x' });
    }
  });

  it('keeps plain JSON values as they are and bounds long ones', () => {
    const value = { a: [1, 'two', null, true], b: { c: 'd' } };
    expect(new ForcedTlsError('EPOLICY', 'x', { value }).toJSON()['value']).toEqual(value);
    const long = 'x'.repeat(100_000);
    const shown = new ForcedTlsError('EPOLICY', 'x', { value: long }).toJSON()['value'] as string;
    expect(shown.length).toBeLessThan(2000);
    expect(shown.startsWith('xxxx')).toBe(true);
  });

  it('describes what it cannot represent with its type', () => {
    const json = (value: unknown) => new ForcedTlsError('EPOLICY', 'x', { value }).toJSON()['value'];
    expect(json(1n)).toBe('[bigint 1n]');
    expect(json(Symbol('s'))).toBe('[symbol Symbol(s)]');
    expect(json(function named() {})).toBe('[function named]');
    expect(json(Number.NaN)).toBe('[number NaN]');
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(json(circular)).toEqual({ self: '[circular]' });
    expect(json(new Proxy({}, {}))).toBe('[proxy]');
  });
});
