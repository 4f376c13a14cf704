import { describe, expect, test } from 'vitest';
import { runWhitelistStoreContract } from '../../src/testing/index.js';
import { MemoryWhitelistStore } from '../../src/whitelist/index.js';

describe('MemoryWhitelistStore', () => {
  runWhitelistStoreContract(test, () => new MemoryWhitelistStore());

  test('rejects a malformed entry with EWHITELIST instead of keeping it', async () => {
    const store = new MemoryWhitelistStore();
    const entry = {
      id: 'x',
      direction: 'outbound',
      scope: 'domain',
      value: 'Not-Normalized.TEST',
      reason: 'r',
      approvedBy: 'a',
      createdAt: '2026-01-01T00:00:00.000Z',
    } as const;
    await expect(store.add(entry)).rejects.toMatchObject({ code: 'EWHITELIST', path: 'value' });
    expect(() => new MemoryWhitelistStore([entry])).toThrow(expect.objectContaining({ code: 'EWHITELIST' }));
    expect(await store.list()).toEqual([]);
  });
});
