import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import { masterCfTransports, routedRequirements } from '../../src/postfix/master-cf.js';
import { sameRequirement, transportName } from '../../src/postfix/transport-names.js';
import { createTransportTable } from '../../src/postfix/transport-table.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

const FP = Array(32).fill('AB').join(':');
const FP2 = Array(32).fill('CD').join(':');

const policy = createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [
      { match: 'vorstand@bank.de', level: 'verify', minVersion: 'TLSv1.3' },
      { match: 'scanner@bank.de', level: 'encrypt' },
      { match: 'kasse@bank.de', level: 'fingerprint', fingerprints: [FP2, FP] },
      { match: 'legacy@partner.de', level: 'may' },
      { match: 'partner.de', level: 'verify' },
    ],
  },
});

const mandant: WhitelistEntry = {
  id: 'wl-1',
  direction: 'outbound',
  scope: 'address',
  value: 'mandant@gmx.de',
  reason: 'written consent',
  approvedBy: 'StB Müller',
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('the transport table routes recipients whose own rule or entry differs from their domain', () => {
  const table = createTransportTable({ policy, whitelist: createWhitelistIndex([mandant]) });
  const reply = async (key: string) => (await table.lookup(key)).reply;

  it.each([
    ['Vorstand@Bank.DE', 'ftls-verify-tls13:'],
    [
      'kasse@bank.de',
      `${transportName({ level: 'fingerprint', minVersion: 'TLSv1.2', fingerprints: [FP, FP2] })}:`,
    ],
    ['legacy@partner.de', 'ftls-may:'],
    ['Mandant@GMX.de', 'ftls-may:'],
  ])('%s → OK %s', async (key, data) => {
    expect(await reply(key)).toEqual({ status: 'OK', data });
  });

  it.each([
    // Same requirement as the domain: no split.
    'scanner@bank.de',
    'someone@bank.de',
    'anyone@partner.de',
    'mandant@web.de',
    // Not an address: the domain's policy applies.
    '*',
    'bank.de',
    '"quoted local"@bank.de',
    'user@[192.0.2.1]',
  ])('%s → NOTFOUND', async (key) => {
    expect(await reply(key)).toEqual({ status: 'NOTFOUND' });
  });

  it('sends routed recipients to a configured next-hop instead of their domain', async () => {
    const relay = createTransportTable({ policy, nexthop: '[relay.example.de]:587' });
    expect((await relay.lookup('vorstand@bank.de')).reply).toEqual({
      status: 'OK',
      data: 'ftls-verify-tls13:[relay.example.de]:587',
    });
    const perDomain = createTransportTable({ policy, nexthop: (domain) => `[mx.${domain}]` });
    expect((await perDomain.lookup('vorstand@bank.de')).reply).toMatchObject({
      data: 'ftls-verify-tls13:[mx.bank.de]',
    });
  });

  it('decides without a failing whitelist: address rules still route, an address entry no longer lowers', async () => {
    let broken = false;
    const table = createTransportTable({
      policy,
      whitelist: () => (broken ? Promise.reject(new Error('store down')) : createWhitelistIndex([mandant])),
    });
    expect((await table.lookup('mandant@gmx.de')).reply).toEqual({ status: 'OK', data: 'ftls-may:' });
    broken = true;
    expect(await table.lookup('mandant@gmx.de')).toMatchObject({
      reply: { status: 'NOTFOUND' },
      whitelistError: 'store down',
    });
    expect((await table.lookup('vorstand@bank.de')).reply).toEqual({
      status: 'OK',
      data: 'ftls-verify-tls13:',
    });
  });

  it('answers TEMP when the policy cannot be read', async () => {
    const failing = createTransportTable({
      policy: () => {
        throw new Error('no policy');
      },
    });
    expect((await failing.lookup('vorstand@bank.de')).reply).toMatchObject({ status: 'TEMP' });
  });

  it('refuses a bad prefix or next-hop at construction', () => {
    expect(() => createTransportTable({ policy, transportPrefix: 'Bad Prefix' })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'transportPrefix' }),
    );
    expect(() => createTransportTable({ policy, nexthop: 'a b' })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'nexthop' }),
    );
  });
});

describe('transport names and master.cf lines', () => {
  it('name equal requirements alike, whatever the fingerprint order', () => {
    const a = { level: 'fingerprint', minVersion: 'TLSv1.2', fingerprints: [FP, FP2] } as const;
    const b = { level: 'fingerprint', minVersion: 'TLSv1.2', fingerprints: [FP2, FP] } as const;
    expect(transportName(a)).toBe(transportName(b));
    expect(transportName(a)).toMatch(/^ftls-fingerprint-[0-9a-f]{8}$/);
    expect(sameRequirement(a, b)).toBe(true);
    expect(sameRequirement(a, { ...a, fingerprints: [FP] })).toBe(false);
    expect(
      sameRequirement({ level: 'may', minVersion: 'TLSv1.3', fingerprints: [] }, { ...a, level: 'may' }),
    ).toBe(true);
  });

  it('cover every requirement the table can route to, may first', () => {
    const names = routedRequirements(policy).map((r) => transportName(r));
    expect(names).toEqual([
      'ftls-may',
      'ftls-verify-tls13',
      'ftls-encrypt',
      transportName({ level: 'fingerprint', minVersion: 'TLSv1.2', fingerprints: [FP, FP2] }),
    ]);
  });

  it('give each transport its own level and no TLS policy table', () => {
    const text = masterCfTransports(policy);
    expect(text).toContain(
      [
        'ftls-verify-tls13 unix - - n - - smtp',
        '  -o syslog_name=postfix/ftls-verify-tls13',
        '  -o smtp_tls_security_level=verify',
        '  -o smtp_tls_verify_cert_match=hostname',
        '  -o smtp_tls_mandatory_protocols=>=TLSv1.3',
        '  -o smtp_tls_servername=hostname',
        '  -o smtp_tls_policy_maps=',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        'ftls-may unix - - n - - smtp',
        '  -o syslog_name=postfix/ftls-may',
        '  -o smtp_tls_security_level=may',
        '  -o smtp_tls_policy_maps=',
      ].join('\n'),
    );
    expect(text).toContain(`  -o smtp_tls_fingerprint_cert_match=${FP2},${FP}`);
    expect(text).toContain('  -o smtp_tls_fingerprint_digest=sha256');
    expect(masterCfTransports(policy, { chroot: 'y', transportPrefix: 'zw' })).toContain(
      'zw-encrypt unix - - y - - smtp',
    );
  });
});
