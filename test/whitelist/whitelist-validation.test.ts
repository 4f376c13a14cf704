import { describe, expect, test } from 'vitest';
import { createWhitelist, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import type { WhitelistEntryInput } from '../../src/whitelist/types.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const VALID: WhitelistEntryInput = {
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example.test',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
};

function setup() {
  const store = new MemoryWhitelistStore();
  return { store, whitelist: createWhitelist(store, { clock: () => new Date(NOW) }) };
}

// [what, patch to VALID, error.path, text in the message]
const INVALID: ReadonlyArray<readonly [string, Record<string, unknown>, string, string]> = [
  ['direction missing', { direction: undefined }, 'direction', 'must be "outbound" or "inbound"'],
  ['direction unknown', { direction: 'both' }, 'direction', '"both"'],
  ['scope unknown', { scope: 'host' }, 'scope', 'must be "domain", "subdomains" or "address"'],
  ['value not a string', { value: 42 }, 'value', 'not a string'],
  ['value malformed', { value: 'not a domain' }, 'value', 'not a domain'],
  ['value an IP address', { value: '192.0.2.1' }, 'value', 'IP address'],
  ['address with domain scope', { value: 'a@mandant.example.test' }, 'value', 'cannot have scope domain'],
  ['domain with address scope', { scope: 'address' }, 'value', 'expected local@domain'],
  ['wildcard with domain scope', { value: '*.mandant.example.test' }, 'value', 'wildcard'],
  ['public suffix', { value: 'co.uk' }, 'value', 'public suffix'],
  ['public suffix wildcard', { scope: 'subdomains', value: '*.de' }, 'value', 'public suffix'],
  ['reason missing', { reason: undefined }, 'reason', 'must be a string'],
  ['reason blank', { reason: '  \t ' }, 'reason', 'must not be empty'],
  ['reason too long', { reason: 'x'.repeat(1001) }, 'reason', 'at most 1000'],
  ['reason with a NUL', { reason: 'a\u0000b' }, 'reason', 'control characters'],
  ['approvedBy missing', { approvedBy: undefined }, 'approvedBy', 'must be a string'],
  ['approvedBy blank', { approvedBy: '' }, 'approvedBy', 'must not be empty'],
  ['approvedBy multi-line', { approvedBy: 'a\nb' }, 'approvedBy', 'control characters'],
  ['approvedBy too long', { approvedBy: 'x'.repeat(201) }, 'approvedBy', 'at most 200'],
  ['consentRef blank', { consentRef: ' ' }, 'consentRef', 'must not be empty'],
  ['consentRef not a string', { consentRef: 7 }, 'consentRef', 'must be a string'],
  ['expiresAt not a time', { expiresAt: 'next week' }, 'expiresAt', 'ISO 8601'],
  ['expiresAt without a zone', { expiresAt: '2027-01-01T10:00' }, 'expiresAt', 'with a zone'],
  ['expiresAt impossible date', { expiresAt: '2027-02-31T00:00:00Z' }, 'expiresAt', 'not a valid time'],
  ['expiresAt an invalid Date', { expiresAt: new Date(Number.NaN) }, 'expiresAt', 'not a valid time'],
  ['expiresAt now', { expiresAt: NOW }, 'expiresAt', 'must be after now'],
  ['expiresAt in the past', { expiresAt: '2026-01-01' }, 'expiresAt', 'must be after now'],
  ['allowPublicSuffix not boolean', { allowPublicSuffix: 'yes' }, 'allowPublicSuffix', 'must be a boolean'],
  ['an unknown field (typo)', { expires: '2027-01-01' }, 'expires', 'not a field'],
  ['an id supplied by the caller', { id: 'mine' }, 'id', 'not a field'],
];

describe('createWhitelist: add() validation', () => {
  test.each(INVALID)(
    '%s → EWHITELIST with path and value, nothing stored',
    async (_what, patch, path, text) => {
      const { store, whitelist } = setup();
      const input = { ...VALID, ...patch } as WhitelistEntryInput;
      const error = await whitelist.add(input).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EWHITELIST', path });
      expect((error as Error).message).toContain(text);
      expect(error).toHaveProperty('value', (input as unknown as Record<string, unknown>)[path]);
      expect(await store.list()).toEqual([]);
    },
  );

  test.each([null, 'mandant.example.test', [VALID]])(
    'a non-object input (%j) → EWHITELIST',
    async (input) => {
      await expect(setup().whitelist.add(input as never)).rejects.toMatchObject({ code: 'EWHITELIST' });
    },
  );

  test('a malformed domain is wrapped: EWHITELIST with the EADDRESS error as cause', async () => {
    const error = await setup()
      .whitelist.add({ ...VALID, value: 'bad..example.test' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EWHITELIST', path: 'value', cause: { code: 'EADDRESS' } });
  });

  test('an invalid actor → EWHITELIST with path actor', async () => {
    const { store, whitelist: w } = setup();
    await expect(w.add(VALID, ' ')).rejects.toMatchObject({ code: 'EWHITELIST', path: 'actor' });
    const entry = await w.add(VALID);
    await expect(w.remove(entry.id, undefined as never)).rejects.toMatchObject({
      code: 'EWHITELIST',
      path: 'actor',
    });
    await expect(w.remove('', 'admin')).rejects.toMatchObject({ code: 'EWHITELIST', path: 'id' });
    expect(await store.list()).toHaveLength(1);
  });

  test('normalizes: IDN to A-label, address local part lowercased, text trimmed, times to UTC ISO', async () => {
    const { whitelist: w } = setup();
    const domain = await w.add({
      ...VALID,
      value: 'Müller-Steuer.DE.',
      reason: '  Grund  ',
      consentRef: ' EW-7 ',
    });
    expect(domain).toMatchObject({ value: 'xn--mller-steuer-dlb.de', reason: 'Grund', consentRef: 'EW-7' });
    const address = await w.add({
      ...VALID,
      scope: 'address',
      value: '<Info.Buero@Mandant.Example.TEST>',
      expiresAt: '2026-04-01T10:00:00+02:00',
    });
    expect(address).toMatchObject({
      value: 'info.buero@mandant.example.test',
      expiresAt: '2026-04-01T08:00:00.000Z',
    });
    const sub = await w.add({
      ...VALID,
      scope: 'subdomains',
      value: '*.Filiale.example.test',
      expiresAt: '2027-01-01',
    });
    expect(sub).toMatchObject({ value: 'filiale.example.test', expiresAt: '2027-01-01T00:00:00.000Z' });
    expect(domain.createdAt).toBe(NOW.toISOString());
    expect(domain.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('a public suffix is accepted when explicitly allowed', async () => {
    const entry = await setup().whitelist.add({ ...VALID, value: 'co.uk', allowPublicSuffix: true });
    expect(entry.value).toBe('co.uk');
    expect(entry).not.toHaveProperty('allowPublicSuffix');
  });

  test('an address at a public suffix domain is one mailbox and needs no override', async () => {
    const entry = await setup().whitelist.add({ ...VALID, scope: 'address', value: 'info@co.uk' });
    expect(entry.value).toBe('info@co.uk');
  });
});
