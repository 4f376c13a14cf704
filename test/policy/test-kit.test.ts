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

  it.each([
    [
      { level: 'strict' },
      'level: must be one of may, encrypt, verify, fingerprint, qualified, dane, dane-only (got "strict")',
    ],
    [{ direction: 'out' }, 'direction: must be one of outbound, inbound'],
    [{ source: 'policy' }, 'source: must be one of default, rule, whitelist'],
    [{ minVersion: 'TLSv1.1' }, 'minVersion: must be one of TLSv1.2, TLSv1.3'],
    [{ whitelistable: 'yes' }, 'whitelistable: must be true or false'],
    [{ rule: 5 }, 'rule: must be a pattern string or null'],
    [{ error: '' }, 'error: must be an error code'],
  ])(
    'refuses a row with %j: no decision could ever match it (EPOLICY naming the field)',
    (field, message) => {
      expect(() => parseExpectations([{ address: 'a@b.de' }, { address: 'c@d.de', ...field }])).toThrow(
        expect.objectContaining({
          code: 'EPOLICY',
          message: expect.stringContaining(`expectations[1].${message}`),
        }),
      );
    },
  );

  it('refuses an empty table: it would check nothing', () => {
    for (const empty of [[], { expectations: [] }]) {
      expect(() => parseExpectations(empty)).toThrow(
        expect.objectContaining({ code: 'EPOLICY', message: expect.stringContaining('the table is empty') }),
      );
    }
  });
});
