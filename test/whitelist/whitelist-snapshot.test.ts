import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { createWhitelist, FileWhitelistStore, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import type { WhitelistEntryInput, WhitelistStore } from '../../src/whitelist/types.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 24 * 60 * 60 * 1000;
const START = new Date('2026-03-01T12:00:00.000Z');
const INPUT: WhitelistEntryInput = {
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example.test',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
};
const policy = createPolicy({ outbound: { default: 'encrypt' } });

/** Counts the calls a whitelist makes to its store. */
function counting(store: WhitelistStore, withRevision = true) {
  const calls = { list: 0, revision: 0 };
  const wrapped: WhitelistStore = {
    list: () => {
      calls.list++;
      return store.list();
    },
    add: (entry) => store.add(entry),
    remove: (id) => store.remove(id),
  };
  if (withRevision) {
    wrapped.revision = () => {
      calls.revision++;
      return store.revision!();
    };
  }
  return { store: wrapped, calls };
}

describe('Whitelist.snapshot()', () => {
  test('feeds the policy: a whitelisted recipient may go without TLS, until the entry expires', async () => {
    const whitelist = createWhitelist(new MemoryWhitelistStore(), { clock: () => START });
    const entry = await whitelist.add({ ...INPUT, expiresAt: new Date(START.getTime() + DAY) });
    const index = await whitelist.snapshot();
    const allowed = policy.outbound('info@mandant.example.test', { whitelist: index, now: START });
    expect(allowed).toMatchObject({ level: 'may', source: 'whitelist', entry, requiredLevel: 'encrypt' });
    // The same cached index, a day later: the entry no longer applies.
    const later = policy.outbound('info@mandant.example.test', {
      whitelist: index,
      now: new Date(START.getTime() + DAY),
    });
    expect(later).toMatchObject({ level: 'encrypt', source: 'default' });
  });

  test('is cached while the store revision is unchanged and rebuilt after a change', async () => {
    const { store, calls } = counting(new MemoryWhitelistStore());
    const whitelist = createWhitelist(store, { clock: () => START });
    const empty = await whitelist.snapshot();
    expect(await whitelist.snapshot()).toBe(empty);
    expect(calls.list).toBe(1);
    await whitelist.add(INPUT);
    const listsBefore = calls.list;
    const one = await whitelist.snapshot();
    expect(one).not.toBe(empty);
    expect(one.size).toBe(1);
    expect(calls.list).toBe(listsBefore + 1);
    expect(await whitelist.snapshot()).toBe(one);
    expect(calls.list).toBe(listsBefore + 1);
  });

  test('concurrent calls share one load', async () => {
    const { store, calls } = counting(new MemoryWhitelistStore());
    const whitelist = createWhitelist(store);
    const indexes = await Promise.all(Array.from({ length: 5 }, () => whitelist.snapshot()));
    expect(new Set(indexes).size).toBe(1);
    expect(calls.list).toBe(1);
  });

  test('a store without revision() is listed on every call', async () => {
    const { store, calls } = counting(new MemoryWhitelistStore(), false);
    const whitelist = createWhitelist(store);
    await whitelist.snapshot();
    await whitelist.snapshot();
    expect(calls).toEqual({ list: 2, revision: 0 });
  });

  test('sees entries another process wrote to the file', async () => {
    const file = join(dir, 'shared.json');
    const app = createWhitelist(new FileWhitelistStore(file), { clock: () => START });
    const cli = createWhitelist(new FileWhitelistStore(file), { clock: () => START });
    const before = await app.snapshot();
    expect(policy.outbound('a@mandant.example.test', { whitelist: before }).level).toBe('encrypt');
    await cli.add(INPUT);
    const after = await app.snapshot();
    expect(policy.outbound('a@mandant.example.test', { whitelist: after, now: START }).level).toBe('may');
    // A file that turns corrupt is reported, not treated as empty.
    writeFileSync(file, '{"format":"forced-tls-whitelist",');
    await expect(app.snapshot()).rejects.toMatchObject({ code: 'ESTORE' });
  });
});
