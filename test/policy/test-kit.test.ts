import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/policy.js';
import { assertDecisions, checkDecisions, parseExpectations } from '../../src/testing/policy-expectations.js';

const policy = createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [{ match: '*.versicherung.de', level: 'verify', whitelistable: false }],
  },
});

describe('policy test kit', () => {
  it('passes a table that holds', () => {
    expect(() =>
      assertDecisions(policy, [
        { address: 'mandant@gmx.de', level: 'encrypt', source: 'default', rule: null },
        {
          address: 'partner@a.versicherung.de',
          level: 'verify',
          whitelistable: false,
          rule: '*.versicherung.de',
        },
        { address: 'not an address', error: 'EADDRESS' },
        { address: 'x@bank.de', direction: 'inbound', level: 'may' },
      ]),
    ).not.toThrow();
  });

  it('fails with every mismatch and its explain() text', () => {
    let error: unknown;
    try {
      assertDecisions(policy, [
        { address: 'mandant@gmx.de', level: 'verify' },
        { address: 'partner@a.versicherung.de', whitelistable: true },
        { address: 'ok@gmx.de', level: 'encrypt' },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AssertionError);
    const message = (error as Error).message;
    expect(message).toContain('2 of 3 policy expectation(s) failed');
    expect(message).toContain('outbound mandant@gmx.de: expected level "verify", got "encrypt"');
    expect(message).toContain(
      'mandant@gmx.de: encrypt required, TLS ≥ 1.2 by the outbound default; whitelistable',
    );
    expect(message).toContain('partner@a.versicherung.de: expected whitelistable true, got false');
  });

  it('reports an unexpected error and an expected error that did not happen', () => {
    const mismatches = checkDecisions(policy, [
      { address: 'broken' },
      { address: 'x@gmx.de', error: 'EADDRESS' },
    ]);
    expect(mismatches.map((m) => [m.field, m.actual])).toEqual([
      ['error', 'EADDRESS'],
      ['error', 'a decision'],
    ]);
  });

  it('validates expectation files', () => {
    expect(parseExpectations({ expectations: [{ address: 'a@b.de', level: 'may' }] })).toHaveLength(1);
    expect(() => parseExpectations({ expectations: [{ adress: 'a@b.de' }] })).toThrow(/expectations\[0\]/);
    expect(() => parseExpectations([{ address: 'a@b.de', levl: 'may' }])).toThrow(
      /expectations\[0\]\.levl: unknown field/,
    );
    expect(() => parseExpectations('nope')).toThrow(/EPOLICY|Expectations must be/);
  });
});
