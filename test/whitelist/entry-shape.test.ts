import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { normalizePattern } from '../../src/policy/normalize.js';
import { findEntryProblem } from '../../src/whitelist/entry-shape.js';

const BASE = {
  id: 'e',
  direction: 'outbound',
  reason: 'r',
  approvedBy: 'a',
  createdAt: '2026-01-01T00:00:00.000Z',
} as const;

function normalizes(value: string, scope: 'domain' | 'subdomains' | 'address'): boolean {
  try {
    return normalizePattern(value, scope).value === value;
  } catch {
    return false;
  }
}

const label = fc.stringMatching(/^[a-z0-9-]{1,70}$/);
const nearDomains = fc.oneof(
  fc.domain(),
  fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.')),
  fc.domain().map((d) => d.toUpperCase()),
  fc.domain().map((d) => `xn--${d}`),
  fc.domain().map((d) => `${d}.123`),
  fc.tuple(fc.domain(), fc.string({ maxLength: 3 })).map(([d, s]) => `${s}${d}${s}`),
);

describe('stored entry check', () => {
  // The check skips UTS #46 for plain lowercase LDH domains; it must accept exactly what
  // normalization leaves unchanged.
  test('accepts a stored value exactly when normalization leaves it unchanged', () => {
    fc.assert(
      fc.property(
        nearDomains,
        fc.constantFrom('domain', 'subdomains') as fc.Arbitrary<'domain' | 'subdomains'>,
        (value, scope) => {
          const problem = findEntryProblem({ ...BASE, scope, value });
          expect(problem === undefined).toBe(normalizes(value, scope));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('addresses: accepted exactly when normalized (lowercase local part, A-label domain)', () => {
    const addresses = fc.oneof(
      fc.emailAddress(),
      fc.emailAddress().map((a) => a.toUpperCase()),
      fc.tuple(fc.string({ minLength: 1, maxLength: 5 }), fc.domain()).map(([l, d]) => `${l}@${d}`),
    );
    fc.assert(
      fc.property(addresses, (value) => {
        const problem = findEntryProblem({ ...BASE, scope: 'address', value });
        expect(problem === undefined).toBe(normalizes(value, 'address'));
      }),
      { numRuns: 2000 },
    );
  });
});
