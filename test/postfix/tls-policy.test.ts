import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import { parsePostfixVersion } from '../../src/postfix/postfix-version.js';
import { formatSocketmapReply } from '../../src/postfix/socketmap-reply.js';
import { formatTlsPolicy, tlsPolicyForRequirement } from '../../src/postfix/tls-policy-reply.js';
import { createTlsPolicyTable } from '../../src/postfix/tls-policy-table.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

const V37 = parsePostfixVersion('3.7');
const V310 = parsePostfixVersion('3.10.1');
const FP = Array(32).fill('AB').join(':');
const FP2 = Array(32).fill('CD').join(':');
const NOW = new Date('2026-12-01T00:00:00Z');

function entry(value: string, scope: WhitelistEntry['scope'] = 'domain'): WhitelistEntry {
  return {
    id: `wl-${value}`,
    direction: 'outbound',
    scope,
    value,
    reason: 'Mandant wünscht unverschlüsselte Zustellung',
    approvedBy: 'StB Müller',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('the reply builder', () => {
  it.each([
    [{ level: 'may', minVersion: 'TLSv1.2', fingerprints: [] }, 'may'],
    [
      { level: 'encrypt', minVersion: 'TLSv1.2', fingerprints: [] },
      'encrypt protocols=>=TLSv1.2 servername=hostname',
    ],
    [
      { level: 'encrypt', minVersion: 'TLSv1.3', fingerprints: [] },
      'encrypt protocols=>=TLSv1.3 servername=hostname',
    ],
    [
      { level: 'verify', minVersion: 'TLSv1.2', fingerprints: [] },
      'verify match=hostname protocols=>=TLSv1.2 servername=hostname',
    ],
    [
      { level: 'fingerprint', minVersion: 'TLSv1.2', fingerprints: [FP, FP2] },
      `fingerprint match=${FP}|${FP2} protocols=>=TLSv1.2 servername=hostname`,
    ],
    // Postfix cannot judge the BSI profile or MTA-STS itself: a qualified destination is pinned or DANE-only.
    [
      { level: 'qualified', minVersion: 'TLSv1.2', fingerprints: [FP] },
      `fingerprint match=${FP} protocols=>=TLSv1.2 servername=hostname`,
    ],
    [
      { level: 'qualified', minVersion: 'TLSv1.2', fingerprints: [] },
      'dane-only ciphers=high protocols=>=TLSv1.2 servername=hostname',
    ],
  ] as const)('%o → %s', (requirement, expected) => {
    expect(formatTlsPolicy(tlsPolicyForRequirement(requirement), V37)).toBe(expected);
  });

  it('never writes the 3.10 TLSRPT attributes for 3.7, and writes them for 3.10', () => {
    const withRpt = {
      level: 'encrypt',
      attributes: [{ name: 'policy_type', value: 'no-policy-found' }],
    } as const;
    expect(() => formatTlsPolicy(withRpt, V37)).toThrow(/policy_type needs Postfix 3\.10, configured 3\.7/);
    expect(formatTlsPolicy(withRpt, V310)).toBe('encrypt policy_type=no-policy-found');
  });

  it('an MTA-STS or DANE answer goes through the same checks (secure match=…, dane-only)', () => {
    const sts = {
      level: 'secure',
      attributes: [
        { name: 'match', value: 'mx1.example.de:.example.de' },
        { name: 'servername', value: 'hostname' },
      ],
    } as const;
    expect(formatTlsPolicy(sts, V37)).toBe('secure match=mx1.example.de:.example.de servername=hostname');
    expect(formatTlsPolicy({ level: 'dane-only', attributes: [] }, V37)).toBe('dane-only');
  });

  it.each([
    [{ level: 'encrypt', attributes: [{ name: 'match', value: 'x' }] }, /match is not allowed at encrypt/],
    [{ level: 'may', attributes: [{ name: 'nonsense', value: 'x' }] }, /unknown attribute nonsense/],
    [{ level: 'may', attributes: [{ name: '__proto__', value: 'x' }] }, /unknown attribute/],
    [
      {
        level: 'encrypt',
        attributes: [
          { name: 'protocols', value: '>=TLSv1.2' },
          { name: 'protocols', value: '>=TLSv1.3' },
        ],
      },
      /protocols may appear once/,
    ],
    [{ level: 'encrypt', attributes: [{ name: 'ciphers', value: '' }] }, /bad value/],
    [{ level: 'encrypt', attributes: [{ name: 'ciphers', value: 'a}b' }] }, /bad value/],
    [{ level: 'encrypt', attributes: [{ name: 'ciphers', value: 'a\nb' }] }, /bad value/],
  ] as const)('refuses an invalid policy (%#) with EPOLICY', (policy, message) => {
    expect(() => formatTlsPolicy(policy, V37)).toThrow(message);
  });

  it('writes a value with spaces in braces, a repeatable attribute twice', () => {
    const policy = {
      level: 'secure',
      attributes: [
        { name: 'match', value: 'a.de' },
        { name: 'match', value: 'b.de' },
        { name: 'ciphers', value: 'high medium' },
      ],
    } as const;
    expect(formatTlsPolicy(policy, V37)).toBe('secure match=a.de match=b.de { ciphers = high medium }');
  });

  it('keeps servername out of a reply for a Postfix older than 3.4', () => {
    const policy = tlsPolicyForRequirement({ level: 'encrypt', minVersion: 'TLSv1.2', fingerprints: [] });
    expect(() => formatTlsPolicy(policy, parsePostfixVersion('3.3'))).toThrow(
      /servername needs Postfix 3\.4/,
    );
  });

  it('parsePostfixVersion takes postconf mail_version output and refuses anything else', () => {
    expect(parsePostfixVersion('3.7.11')).toEqual({ major: 3, minor: 7 });
    expect(() => parsePostfixVersion('latest')).toThrow(expect.objectContaining({ code: 'EPOLICY' }));
  });

  it('caps a reply at Postfix’s 100,000 characters with a TEMP', () => {
    expect(formatSocketmapReply({ status: 'OK', data: 'x'.repeat(99_997) })).toHaveLength(100_000);
    expect(formatSocketmapReply({ status: 'OK', data: 'x'.repeat(99_998) })).toBe('TEMP reply too long');
    expect(formatSocketmapReply({ status: 'TEMP', reason: 'line\nbreak\u0000' })).toBe('TEMP line break');
    expect(formatSocketmapReply({ status: 'NOTFOUND' })).toBe('NOTFOUND ');
  });
});

const policy = createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [
      { match: '*.versicherung.de', level: 'verify', whitelistable: false },
      { match: 'pinned.de', level: 'fingerprint', fingerprints: [FP] },
      { match: 'modern.de', level: 'encrypt', minVersion: 'TLSv1.3' },
      { match: 'vorstand@bank.de', level: 'verify' },
    ],
  },
});

describe('the TLS policy table', () => {
  const whitelist = createWhitelistIndex([entry('mandant.de'), entry('b.versicherung.de')]);
  const table = createTlsPolicyTable({
    policy,
    whitelist,
    clock: () => NOW,
    nextHops: { '[127.0.0.1]:2525': 'pinned.de', '[localhost]:2526': 'mandant.de' },
  });
  const reply = async (key: string) => (await table.lookup(key)).reply;

  it.each([
    ['gmx.de', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
    ['GMX.DE', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
    ['mx.b.versicherung.de', 'verify match=hostname protocols=>=TLSv1.2 servername=hostname'],
    ['.versicherung.de', 'verify match=hostname protocols=>=TLSv1.2 servername=hostname'],
    ['.de', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
    ['Modern.DE', 'encrypt protocols=>=TLSv1.3 servername=hostname'],
    ['pinned.de', `fingerprint match=${FP} protocols=>=TLSv1.2 servername=hostname`],
    ['mandant.de', 'may'],
    ['Mandant.DE.', 'may'],
    // The whitelist cannot lower a non-whitelistable rule.
    ['b.versicherung.de', 'verify match=hostname protocols=>=TLSv1.2 servername=hostname'],
    // The domain of an address rule keeps the domain's decision; the address goes via transport_maps.
    ['bank.de', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
    ['[127.0.0.1]:2525', `fingerprint match=${FP} protocols=>=TLSv1.2 servername=hostname`],
    ['[LOCALHOST]:2526', 'may'],
    // Unmapped bracketed next-hops get the outbound default, never a whitelist entry.
    ['[127.0.0.1]:2526', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
    ['[mandant.de]', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
    ['localhost', 'encrypt protocols=>=TLSv1.2 servername=hostname'],
  ])('%s → OK %s', async (key, data) => {
    expect(await reply(key)).toEqual({ status: 'OK', data });
  });

  it('answers an IDN in U-label and A-label form alike', async () => {
    const idn = createTlsPolicyTable({
      policy,
      whitelist: createWhitelistIndex([entry('xn--mller-kva.de')]),
    });
    expect((await idn.lookup('Müller.de')).reply).toEqual({ status: 'OK', data: 'may' });
    expect((await idn.lookup('xn--mller-kva.de')).reply).toEqual({ status: 'OK', data: 'may' });
  });

  it('returns the decision it applied, for the log', async () => {
    const answer = await table.lookup('Mandant.DE');
    expect(answer.nextHop).toMatchObject({ kind: 'domain', domain: 'mandant.de' });
    expect(answer.decision).toMatchObject({
      source: 'whitelist',
      requiredLevel: 'encrypt',
      entry: { id: 'wl-mandant.de' },
    });
  });

  it('answers PERM for a key that is no next-hop (Postfix defers, never plaintext)', async () => {
    expect(await reply('not a host')).toEqual({
      status: 'PERM',
      reason: 'not a next-hop: whitespace or control characters',
    });
    expect(await reply('')).toMatchObject({ status: 'PERM' });
  });

  it('answers TEMP when the whitelist store fails, and says why in the answer', async () => {
    const broken = createTlsPolicyTable({
      policy,
      whitelist: () => Promise.reject(new Error('disk gone')),
    });
    const answer = await broken.lookup('mandant.de');
    // The whitelist source's failure is a store failure: ESTORE, with the store's own words.
    expect(answer.reply).toEqual({ status: 'TEMP', reason: 'forced-tls cannot decide now (ESTORE)' });
    expect(answer.error).toMatch(/^ESTORE: .*disk gone/);
  });

  it('answers TEMP when the policy function throws or returns no policy', async () => {
    const failing = createTlsPolicyTable({
      policy: () => {
        throw new Error('reload failed');
      },
    });
    expect((await failing.lookup('gmx.de')).reply.status).toBe('TEMP');
    const empty = createTlsPolicyTable({ policy: () => undefined as never });
    expect((await empty.lookup('gmx.de')).reply).toMatchObject({
      status: 'TEMP',
      reason: expect.stringContaining('EPOLICY'),
    });
  });

  it('decides each lookup with the policy the function returns at that moment', async () => {
    let current = createPolicy({ outbound: { default: 'may' } });
    const swapping = createTlsPolicyTable({ policy: () => current });
    expect((await swapping.lookup('gmx.de')).reply).toEqual({ status: 'OK', data: 'may' });
    current = policy;
    expect((await swapping.lookup('gmx.de')).reply).toMatchObject({
      data: expect.stringMatching(/^encrypt/),
    });
  });

  it('refuses bad options at construction with EPOLICY', () => {
    expect(() => createTlsPolicyTable({ policy: {} as never })).toThrow(
      expect.objectContaining({ path: 'policy' }),
    );
    expect(() => createTlsPolicyTable({ policy, postfixVersion: '3' })).toThrow(
      expect.objectContaining({ path: 'postfixVersion' }),
    );
    expect(() => createTlsPolicyTable({ policy, nextHops: { x: 'y' } })).toThrow(
      expect.objectContaining({ code: 'EPOLICY' }),
    );
  });
});
