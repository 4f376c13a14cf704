import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { createPolicy } from '../../src/policy/policy.js';
import type { PolicyConfig } from '../../src/policy/types.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/policy.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true }).compile(schema);
const FP = 'ab'.repeat(32);

const valid: PolicyConfig[] = [
  {},
  { outbound: { default: 'encrypt' } },
  { outbound: { default: 'may', rules: [{ match: 'kanzlei.de', level: 'encrypt' }] } },
  {
    outbound: {
      minVersion: 'TLSv1.2',
      rules: [
        { match: '*.versicherung.de', level: 'verify', whitelistable: false, note: 'contract' },
        { match: 'partner.de', level: 'fingerprint', fingerprints: [FP], minVersion: 'TLSv1.3' },
        { match: 'x@y.de', level: 'may' },
      ],
    },
    inbound: { rules: [{ match: 'bank.de', level: 'encrypt' }] },
  },
];

const invalid: unknown[] = [
  { outbound: { default: 'secure' } },
  { outbound: { default: 'fingerprint' } },
  { outbound: { rules: [{ match: 'a.de' }] } },
  { outbound: { rules: [{ match: 'a.de', level: 'fingerprint' }] } },
  { outbound: { rules: [{ match: 'a.de', level: 'verify', fingerprints: [FP] }] } },
  { outbound: { rules: [{ match: 'a.de', level: 'encrypt', extra: 1 }] } },
  { inbound: { rules: [{ match: 'a.de', level: 'verify' }] } },
  { outbound: { minVersion: 'TLSv1.1' } },
  { unknown: true },
];

// The schema is published for editors and CI linting; createPolicy is the authority. They must agree.
describe('policy JSON Schema', () => {
  it.each(valid.map((c) => [JSON.stringify(c), c]))('accepts %s, as createPolicy does', (_, config) => {
    expect(validate(config)).toBe(true);
    expect(() => createPolicy(config as PolicyConfig)).not.toThrow();
  });

  it.each(invalid.map((c) => [JSON.stringify(c), c]))('refuses %s, as createPolicy does', (_, config) => {
    expect(validate(config)).toBe(false);
    let code: string | undefined;
    try {
      createPolicy(config as PolicyConfig);
    } catch (error) {
      code = isForcedTlsError(error) ? error.code : 'other';
    }
    expect(code).toBe('EPOLICY');
  });
});
