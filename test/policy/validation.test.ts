import { describe, expect, it } from 'vitest';
import { ForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { parsePolicy } from '../../src/policy/load.js';
import { createPolicy } from '../../src/policy/policy.js';
import type { PolicyConfig } from '../../src/policy/types.js';

function policyError(config: unknown): ForcedTlsError {
  try {
    createPolicy(config as PolicyConfig);
  } catch (error) {
    if (error instanceof ForcedTlsError) return error;
    throw error;
  }
  throw new Error('expected EPOLICY');
}

const FP = 'AB'.repeat(32);

describe('invalid configuration fails at construction with EPOLICY naming path and value', () => {
  it.each([
    [null, '(root)'],
    [[], '(root)'],
    [{ outbund: {} }, 'outbund'],
    [{ outbound: 'encrypt' }, 'outbound'],
    [{ outbound: { default: 'secure' } }, 'outbound.default'],
    [{ outbound: { default: 'fingerprint' } }, 'outbound.default'],
    [{ outbound: { minVersion: 'TLSv1.1' } }, 'outbound.minVersion'],
    [{ outbound: { defaultWhitelistable: 'no' } }, 'outbound.defaultWhitelistable'],
    [{ outbound: { rules: {} } }, 'outbound.rules'],
    [{ outbound: { rules: ['a.de'] } }, 'outbound.rules[0]'],
    [{ outbound: { rules: [{ level: 'encrypt' }] } }, 'outbound.rules[0].match'],
    [{ outbound: { rules: [{ match: 'a.de', level: 'encrypt', levl: 'x' }] } }, 'outbound.rules[0].levl'],
    [{ outbound: { rules: [{ match: 'a.de', level: 'ENCRYPT' }] } }, 'outbound.rules[0].level'],
    [{ outbound: { rules: [{ match: 'not a domain', level: 'encrypt' }] } }, 'outbound.rules[0].match'],
    [{ outbound: { rules: [{ match: '*.de', level: 'encrypt' }] } }, 'outbound.rules[0].match'],
    [{ outbound: { rules: [{ match: 'co.uk', level: 'encrypt' }] } }, 'outbound.rules[0].match'],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'encrypt', whitelistable: 'false' }] } },
      'outbound.rules[0].whitelistable',
    ],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'encrypt', minVersion: 'TLSv1.2' }] }, inbound: 1 },
      'inbound',
    ],
    [
      {
        outbound: {
          minVersion: 'TLSv1.3',
          rules: [{ match: 'a.de', level: 'encrypt', minVersion: 'TLSv1.2' }],
        },
      },
      'outbound.rules[0].minVersion',
    ],
    [{ outbound: { rules: [{ match: 'a.de', level: 'fingerprint' }] } }, 'outbound.rules[0].fingerprints'],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'fingerprint', fingerprints: ['AB:CD'] }] } },
      'outbound.rules[0].fingerprints[0]',
    ],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'fingerprint', fingerprints: [] }] } },
      'outbound.rules[0].fingerprints',
    ],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'verify', fingerprints: [FP] }] } },
      'outbound.rules[0].fingerprints',
    ],
    [{ outbound: { rules: [{ match: 'a.de', level: 'verify', note: 5 }] } }, 'outbound.rules[0].note'],
    [
      {
        outbound: {
          rules: [
            { match: 'A.de', level: 'verify' },
            { match: 'a.DE', level: 'may' },
          ],
        },
      },
      'outbound.rules[1].match',
    ],
    [{ inbound: { rules: [{ match: 'bank.de', level: 'verify' }] } }, 'inbound.rules[0].level'],
  ])('%j → %s', (config, path) => {
    const error = policyError(config);
    expect(error.code).toBe('EPOLICY');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });

  it('carries the offending value', () => {
    const error = policyError({ outbound: { rules: [{ match: 'a.de', level: 'strict' }] } });
    expect(error.value).toBe('strict');
    expect(error.message).toContain('"strict"');
    expect(error.toJSON()).toMatchObject({
      code: 'EPOLICY',
      path: 'outbound.rules[0].level',
      value: 'strict',
    });
  });

  it('says how to allow a public suffix, and allows it when asked', () => {
    expect(policyError({ outbound: { rules: [{ match: '*.de', level: 'encrypt' }] } }).message).toContain(
      'public suffix',
    );
    const policy = createPolicy({
      outbound: { default: 'may', rules: [{ match: '*.de', level: 'encrypt', allowPublicSuffix: true }] },
    });
    expect(policy.outbound('x@kanzlei.de').level).toBe('encrypt');
  });

  it('normalizes fingerprints to the form node prints', () => {
    const policy = createPolicy({
      outbound: { rules: [{ match: 'partner.de', level: 'fingerprint', fingerprints: [`ab`.repeat(32)] }] },
    });
    expect(policy.outbound('x@partner.de').fingerprints).toEqual([Array(32).fill('AB').join(':')]);
  });
});

describe('policy files', () => {
  const text = [
    '{',
    '  "outbound": {',
    '    "rules": [',
    '      { "match": "*.versicherung.de", "level": "verify", "whitelistable": false }',
    '    ]',
    '  }',
    '}',
  ].join('\n');

  it('remember the line of each rule for explain()', () => {
    const policy = parsePolicy(text, 'policy.json');
    expect(policy.outbound('x@a.versicherung.de').explain()).toBe(
      'x@a.versicherung.de: verify required, TLS ≥ 1.2 by rule *.versicherung.de (line 4 of policy.json); not whitelistable',
    );
    expect(policy.rules[0]?.origin).toEqual({ path: 'outbound.rules[0]', file: 'policy.json', line: 4 });
  });

  it('report JSON syntax errors with line and column', () => {
    expect(() => parsePolicy('{\n  "outbound": {,\n}', 'p.json')).toThrow(
      /p\.json: invalid JSON at line 2, column 16/,
    );
  });

  it('refuse an empty document and comments', () => {
    expect(() => parsePolicy('')).toThrow(ForcedTlsError);
    expect(() => parsePolicy('{ // no\n}')).toThrow(/invalid JSON/);
  });
});
