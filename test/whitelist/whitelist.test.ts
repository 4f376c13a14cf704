import { describe, expect, test } from 'vitest';
import { createWhitelist, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import type { WhitelistChange, WhitelistEntryInput, WhitelistStore } from '../../src/whitelist/types.js';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-03-01T12:00:00.000Z');
const INPUT: WhitelistEntryInput = {
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example.test',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
};

function setup(store: WhitelistStore = new MemoryWhitelistStore()) {
  let now = START;
  const changes: WhitelistChange[] = [];
  const whitelist = createWhitelist(store, { clock: () => new Date(now), onChange: (c) => changes.push(c) });
  return {
    store,
    whitelist,
    changes,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('createWhitelist', () => {
  test('add() reports an add event with entry, actor and time; actor defaults to approvedBy', async () => {
    const { whitelist, changes } = setup();
    const seen: WhitelistChange[] = [];
    whitelist.on('change', (c) => seen.push(c));
    const a = await whitelist.add(INPUT, 'admin@kanzlei.example.test');
    const b = await whitelist.add({ ...INPUT, value: 'other.example.test' });
    expect(changes).toEqual([
      { type: 'add', entry: a, actor: 'admin@kanzlei.example.test', at: '2026-03-01T12:00:00.000Z' },
      { type: 'add', entry: b, actor: 'StB Muster', at: '2026-03-01T12:00:00.000Z' },
    ]);
    expect(seen).toEqual(changes);
  });

  test('adding the same direction, scope and value replaces the entry, keeps its id, reports the old one', async () => {
    const { whitelist, changes, advance } = setup();
    const first = await whitelist.add({ ...INPUT, consentRef: 'EW-1' });
    advance(DAY);
    const second = await whitelist.add({ ...INPUT, value: 'Mandant.Example.TEST', reason: 'erneuert' });
    expect(second).toMatchObject({ id: first.id, reason: 'erneuert', createdAt: '2026-03-02T12:00:00.000Z' });
    expect(second).not.toHaveProperty('consentRef');
    expect(await whitelist.list()).toEqual([second]);
    expect(changes[1]).toEqual({
      type: 'add',
      entry: second,
      actor: 'StB Muster',
      at: second.createdAt,
      previous: first,
    });
    // A different direction or scope is a different entry.
    await whitelist.add({ ...INPUT, direction: 'inbound' });
    await whitelist.add({ ...INPUT, scope: 'subdomains' });
    expect(await whitelist.list()).toHaveLength(3);
  });

  test('remove() reports a remove event and resolves false for an unknown id', async () => {
    const { whitelist, changes, advance } = setup();
    const entry = await whitelist.add(INPUT);
    advance(1000);
    expect(await whitelist.remove(entry.id, 'admin')).toBe(true);
    expect(await whitelist.remove(entry.id, 'admin')).toBe(false);
    expect(changes.at(-1)).toEqual({ type: 'remove', entry, actor: 'admin', at: '2026-03-01T12:00:01.000Z' });
    expect(changes).toHaveLength(2);
  });

  test('list() hides entries from their expiresAt on, unless includeExpired', async () => {
    const { whitelist, advance } = setup();
    const expiring = await whitelist.add({ ...INPUT, expiresAt: new Date(START + DAY) });
    const permanent = await whitelist.add({ ...INPUT, value: 'dauerhaft.example.test' });
    advance(DAY - 1);
    expect(await whitelist.list()).toEqual([expiring, permanent]);
    advance(1);
    expect(await whitelist.list()).toEqual([permanent]);
    expect(await whitelist.list({ includeExpired: true })).toEqual([expiring, permanent]);
  });

  test('find() looks up the live entry by direction and normalized pattern', async () => {
    const { whitelist, advance } = setup();
    const entry = await whitelist.add({
      ...INPUT,
      value: 'müller.example.test',
      expiresAt: new Date(START + DAY),
    });
    expect(await whitelist.find('outbound', 'MÜLLER.example.test')).toEqual(entry);
    expect(await whitelist.find('inbound', 'müller.example.test')).toBeUndefined();
    expect(await whitelist.find('outbound', '*.müller.example.test')).toBeUndefined();
    advance(DAY);
    expect(await whitelist.find('outbound', 'müller.example.test')).toBeUndefined();
    await expect(whitelist.find('outbound', 'not valid')).rejects.toMatchObject({
      code: 'EWHITELIST',
      path: 'value',
    });
    await expect(whitelist.find('sideways' as never, 'a.example.test')).rejects.toMatchObject({
      path: 'direction',
    });
  });

  test('off() removes a listener; a throwing listener does not stop the others and the change stays', async () => {
    const { whitelist, store } = setup();
    const calls: string[] = [];
    const quiet = () => calls.push('quiet');
    whitelist.on('change', () => {
      throw new Error('audit log full');
    });
    whitelist.on('change', quiet).on('change', () => calls.push('last'));
    await expect(whitelist.add(INPUT)).rejects.toThrow('audit log full');
    expect(calls).toEqual(['quiet', 'last']);
    expect(await store.list()).toHaveLength(1);
    whitelist.off('change', quiet);
    await expect(whitelist.add({ ...INPUT, value: 'b.example.test' })).rejects.toThrow('audit log full');
    expect(calls).toEqual(['quiet', 'last', 'last']);
  });

  test('concurrent add() calls of the same pattern leave one entry', async () => {
    const { whitelist } = setup();
    await Promise.all(Array.from({ length: 10 }, (_, i) => whitelist.add({ ...INPUT, reason: `r${i}` })));
    const entries = await whitelist.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.reason).toBe('r9');
  });

  test('a store failure becomes ESTORE with the cause; ForcedTlsErrors pass through', async () => {
    const failing: WhitelistStore = {
      list: async () => {
        throw new Error('connection refused');
      },
      add: async () => undefined,
      remove: async () => false,
    };
    const { whitelist, changes } = setup(failing);
    const error = await whitelist.add(INPUT).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ESTORE', message: 'Whitelist store failed to list' });
    expect((error as Error).cause).toMatchObject({ message: 'connection refused' });
    await expect(whitelist.snapshot()).rejects.toMatchObject({ code: 'ESTORE' });
    expect(changes).toEqual([]);
  });

  test.each([
    ['a store without add()', { list: async () => [], remove: async () => false }, {}, 'store'],
    ['a clock that is not a function', new MemoryWhitelistStore(), { clock: 'now' }, 'clock'],
    ['an onChange that is not a function', new MemoryWhitelistStore(), { onChange: true }, 'onChange'],
  ])('refuses %s with EPOLICY', (_name, store, options, path) => {
    expect(() => createWhitelist(store as never, options as never)).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path }),
    );
  });

  test('a store error names no store internals; a listener must be a function', () => {
    const secretStore = { list: async () => [], remove: async () => false, password: 'geheim' };
    const error = (() => {
      try {
        createWhitelist(secretStore as never);
      } catch (e) {
        return e as Error & { toJSON(): unknown };
      }
    })();
    expect(JSON.stringify(error?.toJSON())).not.toContain('geheim');
    const { whitelist } = setup();
    expect(() => whitelist.on('change', 'log' as never)).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'listener' }),
    );
  });

  test('a clock returning an invalid Date is reported, not stamped', async () => {
    const whitelist = createWhitelist(new MemoryWhitelistStore(), { clock: () => new Date(Number.NaN) });
    await expect(whitelist.add(INPUT)).rejects.toMatchObject({ code: 'EPOLICY', path: 'clock' });
  });
});
