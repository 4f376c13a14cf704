import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { parsePolicy } from '../../src/policy/load.js';
import { normalizeAddress, normalizeDomain, normalizePattern } from '../../src/policy/normalize.js';
import { createPolicy } from '../../src/policy/policy.js';
import type { PolicyConfig } from '../../src/policy/types.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';

// Seeded, so a failure reproduces; the seed is printed by fast-check on failure.
const SEED = 20261127;
const NOW = new Date('2026-11-27T00:00:00Z');

/** Runs fn and fails unless it returns or throws a ForcedTlsError. */
function onlyForcedTlsErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!isForcedTlsError(error)) throw error;
  }
}

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 2, maxLength: 5 }).map((labels) => `${labels.join('.')}.de`);
const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  domain,
  fc.emailAddress(),
  fc.domain(),
);

describe('normalization invariants', () => {
  it('normalizing twice is the same as once (domains)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.domain(), anyText), (input) => {
        let once: string;
        try {
          once = normalizeDomain(input);
        } catch {
          return;
        }
        expect(normalizeDomain(once)).toBe(once);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('normalizing twice is the same as once (addresses)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), anyText), (input) => {
        let once: string;
        try {
          once = normalizeAddress(input).address;
        } catch {
          return;
        }
        expect(normalizeAddress(once).address).toBe(once);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

describe('matching invariants', () => {
  it('a domain never matches an entry of another domain unless a subdomain entry covers it', () => {
    fc.assert(
      fc.property(
        domain,
        domain,
        fc.constantFrom('domain', 'subdomains') as fc.Arbitrary<'domain' | 'subdomains'>,
        (recipientDomain, entryDomain, scope) => {
          const whitelist = createWhitelistIndex([
            {
              id: '1',
              direction: 'outbound',
              scope,
              value: entryDomain,
              reason: 'r',
              approvedBy: 'a',
              createdAt: '2026-01-01T00:00:00Z',
            },
          ]);
          const matched =
            whitelist.match('outbound', `x@${recipientDomain}`, recipientDomain, NOW) !== undefined;
          const expected =
            scope === 'domain'
              ? recipientDomain === entryDomain
              : recipientDomain.endsWith(`.${entryDomain}`);
          expect(matched).toBe(expected);
        },
      ),
      { seed: SEED, numRuns: 10_000 },
    );
  });

  it('a rule on one domain never decides for another domain it does not cover', () => {
    fc.assert(
      fc.property(domain, domain, fc.boolean(), (recipientDomain, ruleDomain, wildcard) => {
        const pattern = wildcard ? `*.${ruleDomain}` : ruleDomain;
        const policy = createPolicy({
          outbound: { default: 'may', rules: [{ match: pattern, level: 'verify' }] },
        });
        const decision = policy.outbound(`x@${recipientDomain}`);
        const covered = wildcard
          ? recipientDomain.endsWith(`.${ruleDomain}`)
          : recipientDomain === ruleDomain;
        expect(decision.source === 'rule').toBe(covered);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

describe('hostile input', () => {
  const policy = createPolicy({
    outbound: {
      rules: [
        { match: '*.versicherung.de', level: 'verify' },
        { match: 'a@b.de', level: 'may' },
      ],
    },
    inbound: { rules: [{ match: 'bank.de', level: 'encrypt' }] },
  });

  it('100,000 random inputs never throw anything but ForcedTlsError', () => {
    let runs = 0;
    fc.assert(
      fc.property(anyText, (input) => {
        runs++;
        onlyForcedTlsErrors(() => policy.outbound(input));
        onlyForcedTlsErrors(() => policy.inbound(input));
        onlyForcedTlsErrors(() => normalizePattern(input));
      }),
      { seed: SEED, numRuns: 80_000 },
    );
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), anyText, (config, text) => {
        runs++;
        onlyForcedTlsErrors(() => createPolicy(config as PolicyConfig));
        onlyForcedTlsErrors(() => createPolicy({ outbound: { rules: [{ match: text, level: 'encrypt' }] } }));
        onlyForcedTlsErrors(() => parsePolicy(text));
      }),
      { seed: SEED, numRuns: 20_000 },
    );
    expect(runs).toBe(100_000);
  });

  it('long pathological inputs finish quickly (no catastrophic backtracking)', () => {
    const inputs = [
      `${'a.'.repeat(100_000)}de`,
      `${'a'.repeat(100_000)}@x.de`,
      `${'-'.repeat(50_000)}@${'-'.repeat(50_000)}`,
      `<${'<'.repeat(100_000)}`,
      `*.${'.'.repeat(100_000)}`,
      `{"outbound":{"rules":[${'{"match":"a.de","level":"may"},'.repeat(2000)}]}}`,
    ];
    const started = performance.now();
    for (const input of inputs) {
      onlyForcedTlsErrors(() => policy.outbound(input));
      onlyForcedTlsErrors(() => normalizePattern(input));
      onlyForcedTlsErrors(() => parsePolicy(input));
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
