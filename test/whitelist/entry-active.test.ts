import { describe, expect, test } from 'vitest';
import { entryStatus } from '../../src/cli/commands/whitelist-format.js';
import { createWhitelistIndex, isEntryActive } from '../../src/policy/whitelist-index.js';
import { isDirection, isScope } from '../../src/whitelist/entry-enums.js';
import { createWhitelist, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

const EXPIRES = '2027-01-01T00:00:00.000Z';
const ENTRY: WhitelistEntry = {
  id: 'e1',
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example.test',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: EXPIRES,
};
const BEFORE = new Date(Date.parse(EXPIRES) - 1);
const AT = new Date(EXPIRES);

describe('isEntryActive', () => {
  test('an entry applies until just before its expiresAt, and forever without one', () => {
    expect(isEntryActive(ENTRY, BEFORE)).toBe(true);
    expect(isEntryActive(ENTRY, AT)).toBe(false);
    const { expiresAt: _, ...permanent } = ENTRY;
    expect(isEntryActive(permanent, new Date('9999-01-01T00:00:00Z'))).toBe(true);
  });

  test('an unreadable expiresAt never applies (fail closed)', () => {
    expect(isEntryActive({ ...ENTRY, expiresAt: 'soon' }, new Date(0))).toBe(false);
  });

  test('the policy index, Whitelist.list() and the CLI status agree at the boundary', async () => {
    const index = createWhitelistIndex([ENTRY]);
    const match = (now: Date) => index.match('outbound', undefined, ENTRY.value, now);
    expect(match(BEFORE)).toBe(ENTRY);
    expect(match(AT)).toBeUndefined();
    expect(entryStatus(ENTRY, BEFORE)).toBe('active');
    expect(entryStatus(ENTRY, AT)).toBe('expired');
    let now = new Date('2026-06-01T00:00:00Z');
    const store = new MemoryWhitelistStore();
    const whitelist = createWhitelist(store, { clock: () => now });
    const { id: _id, createdAt: _c, ...input } = ENTRY;
    await whitelist.add(input);
    now = BEFORE;
    expect(await whitelist.list()).toHaveLength(1);
    now = AT;
    expect(await whitelist.list()).toEqual([]);
  });
});

describe('entry enums', () => {
  test('accept exactly the directions and scopes of an entry', () => {
    expect(['outbound', 'inbound'].every(isDirection)).toBe(true);
    expect(['domain', 'subdomains', 'address'].every(isScope)).toBe(true);
    for (const bad of ['Outbound', 'both', '', undefined, null, 1, 'toString', ['inbound']]) {
      expect(isDirection(bad)).toBe(false);
      expect(isScope(bad)).toBe(false);
    }
  });
});
