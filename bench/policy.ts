// Outbound decisions per second on one core, with 100k rules and 1k / 100k / 1M whitelist entries.
// The sizes run interleaved, round after round, so a noisy neighbour affects all of them alike;
// the ratios are the figures to read.
import { createPolicy } from '../src/policy/policy.js';
import type { RuleConfig } from '../src/policy/types.js';
import { createWhitelistIndex, type WhitelistIndex } from '../src/policy/whitelist-index.js';
import type { WhitelistEntry } from '../src/whitelist/types.js';

const RULES = 100_000;
const ROUNDS = 5;
const DECISIONS_PER_ROUND = 500_000;

function entries(count: number): WhitelistEntry[] {
  const list: WhitelistEntry[] = [];
  for (let i = 0; i < count; i++) {
    list.push({
      id: `e${i}`,
      direction: 'outbound',
      scope: i % 3 === 0 ? 'address' : i % 3 === 1 ? 'domain' : 'subdomains',
      value: i % 3 === 0 ? `user${i}@mandant${i}.de` : `mandant${i}.de`,
      reason: 'Mandant hat schriftlich eingewilligt',
      approvedBy: 'Dr. Berater',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  }
  return list;
}

function rules(): RuleConfig[] {
  const list: RuleConfig[] = [];
  for (let i = 0; i < RULES; i++) {
    list.push(
      i % 2 === 0
        ? { match: `*.partner${i}.de`, level: 'verify' }
        : { match: `kanzlei${i}.de`, level: i % 4 === 1 ? 'encrypt' : 'may' },
    );
  }
  return list;
}

// A mix: whitelisted domains and addresses, rule hits at several depths, and unlisted recipients.
// The whitelisted ones are among the first 1,000 entries, so every index size does the same work
// and only the size of the index differs.
function recipients(count: number): string[] {
  const list: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = (i * 7919) % 333;
    const pick = i % 5;
    list.push(
      pick === 0
        ? `user${n * 3}@mandant${n * 3}.de`
        : pick === 1
          ? `info@mandant${n * 3 + 1}.de`
          : pick === 2
            ? `a@mx.b.partner${n * 2}.de`
            : pick === 3
              ? `post@kanzlei${n * 2 + 1}.de`
              : `someone${n}@gmx.de`,
    );
  }
  return list;
}

function measure(index: WhitelistIndex, policy: ReturnType<typeof createPolicy>, to: string[]): number {
  const now = new Date();
  const options = { whitelist: index, now };
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < DECISIONS_PER_ROUND; i++) {
    sink += policy.outbound(to[i % to.length]!, options).level.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink === 0) throw new Error('unreachable');
  return DECISIONS_PER_ROUND / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function rssMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
}

export async function main(): Promise<void> {
  const baseRss = rssMb();
  const policy = createPolicy({ outbound: { default: 'encrypt', rules: rules() } });
  const sizes = [1_000, 100_000, 1_000_000];
  const indexes = new Map<number, WhitelistIndex>();
  let rssFor1M = 0;
  for (const size of sizes) {
    const before = rssMb();
    indexes.set(size, createWhitelistIndex(entries(size)));
    if (size === 1_000_000) rssFor1M = rssMb() - before;
  }
  const to = recipients(10_000);
  const results = new Map<number, number[]>(sizes.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of sizes) results.get(size)!.push(measure(indexes.get(size)!, policy, to));
  }
  const rate = (size: number) => median(results.get(size)!);
  console.log('policy: outbound decisions per second (one core, 100k rules, median of 5 interleaved rounds)');
  for (const size of sizes) {
    console.log(
      `  ${size.toLocaleString('en')} whitelist entries: ${Math.round(rate(size)).toLocaleString('en')}/s`,
    );
  }
  console.log(`  ratio 1M / 1k entries: ${(rate(1_000_000) / rate(1_000)).toFixed(2)}x (target >= 0.8)`);
  console.log(`  100k+100k: ${rate(100_000) >= 1_000_000 ? 'meets' : 'misses'} the 1,000,000/s target`);
  console.log(
    `  RSS: ${Math.round(baseRss)} MB at start, +${Math.round(rssFor1M)} MB for the 1M-entry index (target <= 300 MB)`,
  );
  console.log(`  total RSS now: ${Math.round(rssMb())} MB (policy with 100k rules and all three indexes)`);
}
