import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenTable } from '../../src/policy/open-table.js';

interface Item {
  readonly value: string;
  readonly n: number;
}

const table = () => new OpenTable<Item>((item) => item.value);

describe('OpenTable', () => {
  it('stores, replaces and finds values by their key; misses are undefined', () => {
    const t = table();
    t.set({ value: 'kanzlei.de', n: 1 });
    t.set({ value: 'mandant.de', n: 2 });
    t.set({ value: 'kanzlei.de', n: 3 });
    expect(t.size).toBe(2);
    expect(t.get('kanzlei.de')?.n).toBe(3);
    expect(t.get('mandant.de')?.n).toBe(2);
    expect(t.get('other.de')).toBeUndefined();
    expect(t.get('')).toBeUndefined();
  });

  it('keeps every key through many growths', () => {
    const t = table();
    for (let i = 0; i < 50_000; i++) t.set({ value: `user${i}@mandant${i}.de`, n: i });
    expect(t.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) expect(t.get(`user${i}@mandant${i}.de`)?.n).toBe(i);
    expect(t.get('user50000@mandant50000.de')).toBeUndefined();
  });

  it('behaves like a Map for any sequence of sets and gets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 300 }),
        (operations) => {
          const t = table();
          const model = new Map<string, number>();
          for (const [isSet, key, n] of operations) {
            if (isSet) {
              t.set({ value: key, n });
              model.set(key, n);
            } else {
              expect(t.get(key)?.n).toBe(model.get(key));
            }
          }
          expect(t.size).toBe(model.size);
          for (const [key, n] of model) expect(t.get(key)?.n).toBe(n);
        },
      ),
      { seed: 20261127, numRuns: 500 },
    );
  });
});
