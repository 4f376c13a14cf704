import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import {
  createPolicy,
  createWhitelistIndex,
  type PolicyConfig,
  parsePolicy,
  TLS_LEVELS,
} from '../../src/policy/index.js';
import type { WhitelistEntry } from '../../src/whitelist/index.js';

const FP = 'ab'.repeat(32);
const NOW = new Date('2026-12-01T00:00:00Z');
const schema = JSON.parse(readFileSync(new URL('../../schema/policy.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true }).compile(schema);

function entry(scope: WhitelistEntry['scope'], value: string): WhitelistEntry {
  return {
    id: `${scope}:${value}`,
    direction: 'outbound',
    scope,
    value,
    reason: 'Mandant hat eingewilligt',
    approvedBy: 'Dr. Berater',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function policyError(config: unknown): { code: string; path?: string } {
  try {
    createPolicy(config as PolicyConfig);
  } catch (error) {
    if (isForcedTlsError(error)) return { code: error.code, ...(error.path ? { path: error.path } : {}) };
    throw error;
  }
  return { code: 'none' };
}

describe('level qualified in a policy', () => {
  it('is a level, for rules and for the outbound default', () => {
    expect(TLS_LEVELS).toContain('qualified');
    const policy = createPolicy({
      outbound: { default: 'qualified', rules: [{ match: 'gmx.de', level: 'encrypt' }] },
    });
    expect(policy.outbound('mandant@kanzlei-partner.de')).toMatchObject({
      level: 'qualified',
      tlsRequired: true,
      source: 'default',
      whitelistable: false,
    });
    expect(policy.defaults.outbound).toEqual({
      level: 'qualified',
      minVersion: 'TLSv1.2',
      whitelistable: false,
    });
    expect(policy.outbound('x@gmx.de').level).toBe('encrypt');
  });

  it('is not whitelistable unless the rule (or defaultWhitelistable) says so', () => {
    const policy = createPolicy({
      outbound: {
        rules: [
          { match: 'steuerberater.de', level: 'qualified' },
          { match: 'arzt.de', level: 'qualified', whitelistable: true },
        ],
      },
    });
    const whitelist = createWhitelistIndex([entry('domain', 'steuerberater.de'), entry('domain', 'arzt.de')]);
    expect(policy.outbound('a@steuerberater.de', { whitelist, now: NOW })).toMatchObject({
      level: 'qualified',
      source: 'rule',
      whitelistable: false,
    });
    expect(policy.outbound('a@arzt.de', { whitelist, now: NOW })).toMatchObject({
      level: 'may',
      source: 'whitelist',
      requiredLevel: 'qualified',
    });
    const open = createPolicy({ outbound: { default: 'qualified', defaultWhitelistable: true } });
    expect(
      open.outbound('x@mandant.de', {
        whitelist: createWhitelistIndex([entry('domain', 'mandant.de')]),
        now: NOW,
      }).level,
    ).toBe('may');
  });

  it('takes optional pins: a matching one authenticates the server (pinned)', () => {
    const policy = createPolicy({
      outbound: { rules: [{ match: 'partner.de', level: 'qualified', fingerprints: [FP] }] },
    });
    expect(policy.outbound('x@partner.de').fingerprints).toEqual([FP.toUpperCase().match(/../g)!.join(':')]);
    expect(
      createPolicy({ outbound: { rules: [{ match: 'p.de', level: 'qualified' }] } }).outbound('x@p.de')
        .fingerprints,
    ).toEqual([]);
  });

  it.each([
    [{ inbound: { default: 'qualified' } }, 'inbound.default'],
    [{ inbound: { rules: [{ match: 'bank.de', level: 'qualified' }] } }, 'inbound.rules[0].level'],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'verify', fingerprints: [FP] }] } },
      'outbound.rules[0].fingerprints',
    ],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'qualified', fingerprints: ['AB:CD'] }] } },
      'outbound.rules[0].fingerprints[0]',
    ],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'qualified', fingerprints: [] }] } },
      'outbound.rules[0].fingerprints',
    ],
    [
      { outbound: { rules: [{ match: 'a.de', level: 'qualified', whitelistable: 'yes' }] } },
      'outbound.rules[0].whitelistable',
    ],
  ])('refuses %j with EPOLICY at %s', (config, path) => {
    expect(policyError(config)).toEqual({ code: 'EPOLICY', path });
  });

  it('explains itself, with the rule and that it is not whitelistable', () => {
    const policy = parsePolicy(
      '{\n  "outbound": {\n    "rules": [\n      { "match": "*.kammer.de", "level": "qualified", "note": "§203 StGB" }\n    ]\n  }\n}',
      'policy.json',
    );
    expect(policy.outbound('post@rak.kammer.de').explain()).toBe(
      'post@rak.kammer.de: qualified required (BSI TR-02102-2 profile and a server authenticated by MTA-STS, DANE or a pin), ' +
        'TLS ≥ 1.2 by rule *.kammer.de (line 4 of policy.json, "§203 StGB"); not whitelistable',
    );
  });

  it('leaves the existing levels as they were: verify and encrypt stay whitelistable by default', () => {
    const policy = createPolicy({
      outbound: { default: 'verify', rules: [{ match: 'a.de', level: 'encrypt' }] },
    });
    expect(policy.outbound('x@b.de').whitelistable).toBe(true);
    expect(policy.outbound('x@a.de').whitelistable).toBe(true);
  });
});

describe('the JSON Schema agrees with createPolicy on qualified', () => {
  const valid: PolicyConfig[] = [
    { outbound: { default: 'qualified' } },
    { outbound: { default: 'qualified', defaultWhitelistable: true } },
    { outbound: { rules: [{ match: 'a.de', level: 'qualified' }] } },
    { outbound: { rules: [{ match: 'a.de', level: 'qualified', fingerprints: [FP], whitelistable: true }] } },
  ];
  const invalid: unknown[] = [
    { inbound: { default: 'qualified' } },
    { inbound: { rules: [{ match: 'a.de', level: 'qualified' }] } },
    { outbound: { rules: [{ match: 'a.de', level: 'encrypt', fingerprints: [FP] }] } },
    { outbound: { rules: [{ match: 'a.de', level: 'qualified', fingerprints: [] }] } },
    { outbound: { default: 'qualifed' } },
  ];

  it.each(valid.map((c) => [JSON.stringify(c), c]))('accepts %s, as createPolicy does', (_, config) => {
    expect(validate(config)).toBe(true);
    expect(() => createPolicy(config as PolicyConfig)).not.toThrow();
  });

  it.each(invalid.map((c) => [JSON.stringify(c), c]))('refuses %s, as createPolicy does', (_, config) => {
    expect(validate(config)).toBe(false);
    expect(policyError(config).code).toBe('EPOLICY');
  });
});
