import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  createWhitelist,
  FileWhitelistStore,
  MemoryWhitelistStore,
  type WhitelistEntry,
  type WhitelistStore,
  type WhitelistWriteContext,
} from '../../src/whitelist/index.js';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const INPUT = {
  direction: 'outbound' as const,
  scope: 'domain' as const,
  value: 'mandant.example',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
};
const dir = mkdtempSync(join(tmpdir(), 'forced-tls-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Whitelist.audit() and the write context', () => {
  test('the store receives actor and time with every add and remove', async () => {
    const calls: [string, string, WhitelistWriteContext | undefined][] = [];
    const inner = new MemoryWhitelistStore();
    const store: WhitelistStore = {
      list: () => inner.list(),
      add: (entry, context) => {
        calls.push(['add', entry.id, context]);
        return inner.add(entry, context);
      },
      remove: (id, context) => {
        calls.push(['remove', id, context]);
        return inner.remove(id, context);
      },
    };
    let now = T0;
    const whitelist = createWhitelist(store, { clock: () => now });
    const entry = await whitelist.add(INPUT);
    now = new Date(T0.getTime() + 1000);
    await whitelist.add(INPUT, 'sekretariat');
    now = new Date(T0.getTime() + 2000);
    await whitelist.remove(entry.id, 'admin');
    expect(calls).toEqual([
      ['add', entry.id, { actor: 'StB Muster', at: '2026-03-01T12:00:00.000Z' }],
      ['add', entry.id, { actor: 'sekretariat', at: '2026-03-01T12:00:01.000Z' }],
      ['remove', entry.id, { actor: 'admin', at: '2026-03-01T12:00:02.000Z' }],
    ]);
  });

  test('the memory store keeps an audit trail: add, replacement (with previous), removal; since, afterSeq, limit', async () => {
    let now = T0;
    const whitelist = createWhitelist(new MemoryWhitelistStore(), { clock: () => now });
    const first = await whitelist.add(INPUT, 'a');
    now = new Date(T0.getTime() + 60_000);
    const second = await whitelist.add({ ...INPUT, reason: 'neu' }, 'b');
    now = new Date(T0.getTime() + 120_000);
    await whitelist.remove(first.id, 'c');
    await whitelist.remove(first.id, 'd'); // nothing removed: no record
    const all = await whitelist.audit();
    expect(all).toEqual([
      { seq: 1, type: 'add', entry: first, actor: 'a', at: '2026-03-01T12:00:00.000Z' },
      { seq: 2, type: 'add', entry: second, previous: first, actor: 'b', at: '2026-03-01T12:01:00.000Z' },
      { seq: 3, type: 'remove', entry: second, actor: 'c', at: '2026-03-01T12:02:00.000Z' },
    ]);
    expect(await whitelist.audit({ since: '2026-03-01T12:01Z' })).toEqual(all.slice(1));
    expect(await whitelist.audit({ since: new Date('2026-03-01T12:01:00.001Z') })).toEqual(all.slice(2));
    expect(await whitelist.audit({ afterSeq: 1, limit: 1 })).toEqual([all[1]]);
    expect(await whitelist.audit({ afterSeq: 3 })).toEqual([]);
  });

  test('a store used directly still audits: the approver adds, "unknown" removes', async () => {
    const store = new MemoryWhitelistStore();
    const entry: WhitelistEntry = { id: 'e1', ...INPUT, createdAt: T0.toISOString() };
    await store.add(entry);
    await store.remove('e1');
    const records = await store.audit({ afterSeq: 0, limit: 10 });
    expect(records.map((r) => [r.type, r.actor])).toEqual([
      ['add', 'StB Muster'],
      ['remove', 'unknown'],
    ]);
  });

  test('the file store keeps no audit trail: EUNSUPPORTED, and the change listeners are the record', async () => {
    const whitelist = createWhitelist(new FileWhitelistStore(join(dir, 'w.json')));
    await expect(whitelist.audit()).rejects.toMatchObject({
      code: 'EUNSUPPORTED',
      message: expect.stringContaining('keeps no audit trail; record changes with onChange'),
    });
  });

  test.each([
    [{ since: 'yesterday' }, 'since'],
    [{ since: '2026-03-01T12:00' }, 'since'],
    [{ since: new Date(Number.NaN) }, 'since'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 10_001 }, 'limit'],
    [{ limit: 1.5 }, 'limit'],
    [{ afterSeq: -1 }, 'afterSeq'],
    [{ after: 3 }, 'after'],
  ])('refuses audit options %j with EPOLICY naming %s', async (options, path) => {
    const whitelist = createWhitelist(new MemoryWhitelistStore());
    await expect(whitelist.audit(options as never)).rejects.toMatchObject({ code: 'EPOLICY', path });
  });
});
