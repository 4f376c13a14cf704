import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, test } from 'vitest';
import { runWhitelistStoreContract } from '../../src/testing/index.js';
import { FileWhitelistStore } from '../../src/whitelist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'forced-tls-contract-'));
let serial = 0;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileWhitelistStore', () => {
  runWhitelistStoreContract(test, () => new FileWhitelistStore(join(dir, `store-${++serial}.json`)), {
    reopen: (store) => new FileWhitelistStore((store as FileWhitelistStore).path),
  });
});
