// Load time of a 100k-entry file store: a fresh store reads, parses and checks the file, then the
// whitelist builds its index (what an app does on its first send). Median of 5 loads.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeWhitelistFile } from '../src/whitelist/file-format.js';
import { FileWhitelistStore } from '../src/whitelist/file-store.js';
import type { WhitelistEntry } from '../src/whitelist/types.js';
import { createWhitelist } from '../src/whitelist/whitelist.js';

const ENTRIES = 100_000;

function entries(): WhitelistEntry[] {
  return Array.from({ length: ENTRIES }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    direction: 'outbound',
    scope: i % 2 === 0 ? 'domain' : 'address',
    value: i % 2 === 0 ? `mandant${i}.de` : `post${i}@mandant${i}.de`,
    reason: 'Mandant hat der unverschlüsselten Übermittlung schriftlich zugestimmt',
    approvedBy: 'Dr. Erika Berater',
    consentRef: `EV-2026-${i}`,
    createdAt: '2026-11-01T09:00:00.000Z',
  }));
}

export async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'forced-tls-bench-'));
  try {
    const path = join(dir, 'whitelist.json');
    const text = serializeWhitelistFile(entries());
    await writeFile(path, text);
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      const index = await createWhitelist(new FileWhitelistStore(path)).snapshot();
      times.push(performance.now() - started);
      if (index.size !== ENTRIES) throw new Error(`loaded ${index.size} entries`);
    }
    const median = [...times].sort((a, b) => a - b)[2]!;
    console.log(
      `whitelist: load a ${ENTRIES.toLocaleString('en')}-entry file store (${(text.length / 1e6).toFixed(1)} MB)`,
    );
    console.log(
      `  median of 5: ${Math.round(median)} ms (target < 1000 ms) — ${median < 1000 ? 'meets' : 'misses'}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
