// The decision table of the TLS policy table with MTA-STS and DANE: the local decision and what the
// recipient publishes, in Postfix's words. Pure: every combination is computed, none is mocked.
import { describe, expect, it } from 'vitest';
import { type MtaStsResolution, mxMatches } from '../../src/mta-sts/index.js';
import type { RequirementInput, TlsLevel } from '../../src/policy/index.js';
import {
  formatTlsPolicy,
  type PublishedDaneStatus,
  type PublishedFacts,
  type PublishedMtaSts,
  parsePostfixVersion,
  postfixMatchNames,
  publishedTlsPolicy,
} from '../../src/postfix/index.js';
import { tlsRptAttributes } from '../../src/postfix/mta-sts-reply.js';

const V37 = parsePostfixVersion('3.7');
const V310 = parsePostfixVersion('3.10');
const NOW = new Date('2026-12-01T12:00:00.000Z');
const FP = Array(32).fill('AB').join(':');
const TAIL = 'protocols=>=TLSv1.2 servername=hostname';
const SECURE = `secure match=mx1.mandant.test:.mx.mandant.test ${TAIL}`;
const DANE_ONLY = `dane-only ${TAIL}`;

const LINES = [
  'version: STSv1',
  'mode: enforce',
  'mx: mx1.mandant.test',
  'mx: *.mx.mandant.test',
  'max_age: 86400',
];

function resolution(
  mode: MtaStsResolution['mode'],
  source: MtaStsResolution['source'] = 'fetched',
  mx: readonly string[] = ['mx1.mandant.test', '*.mx.mandant.test'],
  lines: readonly string[] = LINES,
): MtaStsResolution {
  if (source === 'none' || mode === 'none') {
    return {
      domain: 'mandant.test',
      source: 'none',
      mode: 'none',
      refreshing: false,
      resolvedAt: NOW.toISOString(),
    };
  }
  return {
    domain: 'mandant.test',
    source,
    mode,
    policy: { version: 'STSv1', mode, maxAge: 86_400, mx, lines },
    id: '20261201',
    fetchedAt: '2026-12-01T11:00:00.000Z',
    checkedAt: '2026-12-01T11:00:00.000Z',
    expiresAt: '2026-12-02T11:00:00.000Z',
    ageSeconds: 3600,
    refreshing: false,
    resolvedAt: NOW.toISOString(),
  };
}

type Sts = 'off' | 'none' | 'testing' | 'enforce' | 'cached' | 'failed';
const STS: readonly Sts[] = ['off', 'none', 'testing', 'enforce', 'cached', 'failed'];
const DANE: readonly PublishedDaneStatus[] = [
  'off',
  'no_dane',
  'tls_required',
  'partial',
  'dane_required',
  'failed',
];

function mtaSts(sts: Sts): PublishedMtaSts {
  if (sts === 'off') return { status: 'off' };
  if (sts === 'failed')
    return { status: 'failed', code: 'ESTORE', message: 'MTA-STS: cache file unreadable' };
  const r =
    sts === 'cached'
      ? resolution('enforce', 'cached')
      : sts === 'none'
        ? resolution('none')
        : resolution(sts);
  return { status: 'resolved', resolution: r, rechecked: false };
}

function facts(dane: PublishedDaneStatus, sts: Sts): PublishedFacts {
  return {
    mtaSts: mtaSts(sts),
    dane: {
      status: dane,
      hosts: [],
      ...(dane === 'failed' ? { message: 'DNSSEC lookup for mx1.mandant.test: tlsa_failed' } : {}),
    },
  };
}

type Local = TlsLevel | 'whitelisted' | 'pinned-qualified' | 'verify-tls13';
const LOCALS: readonly Local[] = [
  'may',
  'whitelisted',
  'encrypt',
  'verify',
  'verify-tls13',
  'fingerprint',
  'qualified',
  'pinned-qualified',
  'dane',
  'dane-only',
];

function local(kind: Local): RequirementInput {
  const base = { minVersion: 'TLSv1.2', fingerprints: [] as string[], source: 'rule' } as const;
  switch (kind) {
    case 'whitelisted':
      return { ...base, level: 'may', source: 'whitelist' };
    case 'pinned-qualified':
      return { ...base, level: 'qualified', fingerprints: [FP] };
    case 'fingerprint':
      return { ...base, level: 'fingerprint', fingerprints: [FP] };
    case 'verify-tls13':
      return { ...base, level: 'verify', minVersion: 'TLSv1.3' };
    default:
      return { ...base, level: kind };
  }
}

function reply(kind: Local, dane: PublishedDaneStatus, sts: Sts, version = V37): string {
  const answer = publishedTlsPolicy(local(kind), facts(dane, sts), version, NOW);
  return answer.kind === 'temp' ? `TEMP ${answer.code}` : formatTlsPolicy(answer.policy, version);
}

describe('publishedTlsPolicy: the stricter of the local decision and what the recipient publishes', () => {
  it.each([
    // Nothing published: the local answer, as without the options.
    ['may', 'off', 'off', 'may'],
    ['may', 'no_dane', 'none', 'may'],
    ['encrypt', 'no_dane', 'off', `encrypt ${TAIL}`],
    ['verify', 'off', 'off', `verify match=hostname ${TAIL}`],
    ['qualified', 'off', 'off', `dane-only ciphers=high ${TAIL}`],
    // MTA-STS enforce (fetched or cached): secure match=<patterns>; testing is report only.
    ['may', 'off', 'enforce', SECURE],
    ['may', 'no_dane', 'cached', SECURE],
    ['encrypt', 'off', 'enforce', SECURE],
    ['verify', 'no_dane', 'enforce', SECURE],
    [
      'verify-tls13',
      'off',
      'enforce',
      'secure match=mx1.mandant.test:.mx.mandant.test protocols=>=TLSv1.3 servername=hostname',
    ],
    ['encrypt', 'tls_required', 'enforce', SECURE],
    ['may', 'off', 'testing', 'may'],
    ['encrypt', 'off', 'testing', `encrypt ${TAIL}`],
    ['qualified', 'off', 'enforce', `secure match=mx1.mandant.test:.mx.mandant.test ciphers=high ${TAIL}`],
    // A whitelist entry lowers the local decision only, never a published requirement.
    ['whitelisted', 'off', 'off', 'may'],
    ['whitelisted', 'off', 'enforce', SECURE],
    ['whitelisted', 'dane_required', 'off', DANE_ONLY],
    ['whitelisted', 'tls_required', 'off', `encrypt ${TAIL}`],
    // DANE at every MX host: dane-only, before MTA-STS (RFC 8461 §2).
    ['may', 'dane_required', 'off', DANE_ONLY],
    ['encrypt', 'dane_required', 'enforce', DANE_ONLY],
    ['verify', 'dane_required', 'cached', DANE_ONLY],
    ['dane', 'dane_required', 'off', DANE_ONLY],
    ['qualified', 'dane_required', 'enforce', `dane-only ciphers=high ${TAIL}`],
    // DANE at some MX hosts: Postfix's per-host dane only where the local decision is opportunistic.
    ['may', 'partial', 'off', `dane ${TAIL}`],
    ['dane', 'partial', 'none', `dane ${TAIL}`],
    ['may', 'partial', 'enforce', DANE_ONLY],
    ['encrypt', 'partial', 'off', DANE_ONLY],
    ['verify', 'partial', 'testing', DANE_ONLY],
    // Only unusable TLSA records: TLS mandatory (RFC 7672 §2.2).
    ['may', 'tls_required', 'off', `encrypt ${TAIL}`],
    ['dane', 'tls_required', 'off', `encrypt ${TAIL}`],
    ['verify', 'tls_required', 'off', `verify match=hostname ${TAIL}`],
    // The levels dane and dane-only are Postfix's.
    ['dane', 'off', 'off', `dane ${TAIL}`],
    ['dane', 'no_dane', 'off', `dane ${TAIL}`],
    ['dane', 'off', 'enforce', SECURE],
    ['dane-only', 'off', 'off', DANE_ONLY],
    ['dane-only', 'no_dane', 'enforce', DANE_ONLY],
    ['dane-only', 'partial', 'off', DANE_ONLY],
    // Pins stay stricter than DANE and MTA-STS.
    ['fingerprint', 'dane_required', 'enforce', `fingerprint match=${FP} ${TAIL}`],
    ['fingerprint', 'partial', 'off', `fingerprint match=${FP} ${TAIL}`],
    ['pinned-qualified', 'dane_required', 'off', `fingerprint match=${FP} ${TAIL}`],
    ['pinned-qualified', 'off', 'enforce', `fingerprint match=${FP} ${TAIL}`],
    // Nothing known: TEMP, never "no DANE" and never MTA-STS instead of a failing DANE.
    ['may', 'failed', 'off', 'TEMP EDNSSEC'],
    ['encrypt', 'failed', 'enforce', 'TEMP EDNSSEC'],
    ['fingerprint', 'failed', 'off', 'TEMP EDNSSEC'],
    ['whitelisted', 'failed', 'cached', 'TEMP EDNSSEC'],
    ['may', 'off', 'failed', 'TEMP ESTORE'],
    ['verify', 'no_dane', 'failed', 'TEMP ESTORE'],
  ] as const)('%s with DANE %s and MTA-STS %s → %s', (kind, dane, sts, expected) => {
    expect(reply(kind, dane, sts)).toBe(expected);
  });

  // Every combination: the invariants the rows above illustrate.
  const combos = LOCALS.flatMap((kind) =>
    DANE.flatMap((dane) => STS.map((sts) => [kind, dane, sts] as const)),
  );

  it(`holds the precedence rules in all ${combos.length} combinations`, () => {
    expect(combos.length).toBe(LOCALS.length * DANE.length * STS.length);
    for (const [kind, dane, sts] of combos) {
      const text = reply(kind, dane, sts);
      const level = text.split(' ')[0];
      const at = `${kind} / ${dane} / ${sts}: ${text}`;
      const pinned = kind === 'fingerprint' || kind === 'pinned-qualified';
      const enforce = sts === 'enforce' || sts === 'cached';
      if (dane === 'failed') expect(text, at).toBe('TEMP EDNSSEC');
      else if (sts === 'failed') expect(text, at).toBe('TEMP ESTORE');
      else if (pinned) expect(text, at).toBe(`fingerprint match=${FP} ${TAIL}`);
      else if (dane === 'dane_required') expect(level, at).toBe('dane-only');
      else if (enforce && dane !== 'partial' && kind !== 'dane-only') expect(level, at).toBe('secure');
      // Published requirements are never answered with plaintext allowed.
      if (enforce || dane === 'dane_required' || dane === 'tls_required') expect(level, at).not.toBe('may');
      // A local requirement above `may` is never answered with an opportunistic level.
      if (!['may', 'whitelisted', 'dane'].includes(kind)) expect(['may', 'dane'], at).not.toContain(level);
      // testing and none are report only: the same as without MTA-STS.
      if (sts === 'testing' || sts === 'none') expect(text, at).toBe(reply(kind, dane, 'off'));
    }
  });

  it('records what the transports would enforce, and that a whitelist entry was overridden', () => {
    const answer = publishedTlsPolicy(local('whitelisted'), facts('off', 'enforce'), V37, NOW);
    expect(answer).toMatchObject({
      kind: 'policy',
      basis: 'mta-sts',
      requirement: {
        level: 'verify',
        authentication: 'mta-sts',
        raisedByPublished: true,
        whitelistOverridden: true,
      },
    });
    expect(publishedTlsPolicy(local('verify'), facts('dane_required', 'enforce'), V37, NOW)).toMatchObject({
      basis: 'dane',
      requirement: { level: 'verify', authentication: 'dane' },
    });
    expect(publishedTlsPolicy(local('encrypt'), facts('failed', 'off'), V37, NOW)).toEqual({
      kind: 'temp',
      code: 'EDNSSEC',
      reason: 'DNSSEC lookup for mx1.mandant.test: tlsa_failed',
    });
  });

  it.each([
    [[undefined, facts('off', 'off'), V37, NOW], 'decision'],
    [[{ ...local('may'), level: 'sometimes' }, facts('off', 'off'), V37, NOW], 'decision.level'],
    [
      [{ ...local('fingerprint'), fingerprints: [1] }, facts('off', 'off'), V37, NOW],
      'decision.fingerprints',
    ],
    [[local('may'), null, V37, NOW], 'facts'],
    [
      [local('may'), { mtaSts: { status: 'maybe' }, dane: { status: 'off' } }, V37, NOW],
      'facts.mtaSts.status',
    ],
    [[local('may'), { mtaSts: { status: 'off' }, dane: {} }, V37, NOW], 'facts.dane.status'],
    [[local('may'), facts('off', 'off'), '3.7', NOW], 'version'],
    [[local('may'), facts('off', 'off'), V37, 'now'], 'now.now'],
  ])('bad arguments (%#) are EPOLICY naming the field, never a TypeError', (args, path) => {
    expect(() => (publishedTlsPolicy as (...a: unknown[]) => unknown)(...args)).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path }),
    );
  });

  it('an enforce policy whose patterns Postfix cannot match is TEMP (EMTASTS), never plaintext', () => {
    const odd: PublishedFacts = {
      mtaSts: {
        status: 'resolved',
        resolution: resolution('enforce', 'fetched', ['hostname']),
        rechecked: false,
      },
      dane: { status: 'off', hosts: [] },
    };
    expect(publishedTlsPolicy(local('may'), odd, V37, NOW)).toMatchObject({ kind: 'temp', code: 'EMTASTS' });
  });
});

describe('MTA-STS in Postfix words', () => {
  it('turns *.domain into .domain, keeps host names, drops Postfix keywords and duplicates', () => {
    expect(postfixMatchNames(['mx1.mandant.test', '*.mx.mandant.test'])).toEqual([
      'mx1.mandant.test',
      '.mx.mandant.test',
    ]);
    expect(() => postfixMatchNames('mx.mandant.test' as never)).toThrow(
      expect.objectContaining({ code: 'EPOLICY' }),
    );
    expect(() => postfixMatchNames([7] as never)).toThrow(expect.objectContaining({ path: 'patterns[0]' }));
    expect(
      postfixMatchNames(['MX.Mandant.test', 'mx.mandant.test', 'nexthop', 'dot-nexthop', 'hostname']),
    ).toEqual(['mx.mandant.test']);
  });

  it('limit: Postfix’s .domain matches any depth, MTA-STS’s *.domain exactly one label', () => {
    const [name] = postfixMatchNames(['*.mx.mandant.test']);
    expect(name).toBe('.mx.mandant.test');
    // MTA-STS: one label only. Postfix (smtp_tls_policy_maps, level secure): any name ending in .mx.mandant.test.
    expect(mxMatches('a.mx.mandant.test', ['*.mx.mandant.test'])).toBe(true);
    expect(mxMatches('b.a.mx.mandant.test', ['*.mx.mandant.test'])).toBe(false);
    expect('b.a.mx.mandant.test'.endsWith(name!)).toBe(true);
  });

  it('writes the TLSRPT attributes for 3.10 and later only, never for 3.7', () => {
    const r = resolution(
      'enforce',
      'cached',
      ['mx1.mandant.test', '*.mx.mandant.test'],
      [...LINES, 'x-note: a{b}'],
    );
    expect(tlsRptAttributes(r, V37, NOW)).toEqual([]);
    const answer = publishedTlsPolicy(
      local('encrypt'),
      { mtaSts: { status: 'resolved', resolution: r, rechecked: false }, dane: { status: 'off', hosts: [] } },
      V310,
      NOW,
    );
    expect(answer.kind).toBe('policy');
    if (answer.kind !== 'policy') return;
    expect(formatTlsPolicy(answer.policy, V310)).toBe(
      `${SECURE} policy_type=sts policy_domain=mandant.test policy_ttl=82800 ` +
        'mx_host_pattern=mx1.mandant.test mx_host_pattern=*.mx.mandant.test ' +
        '{ policy_string = version: STSv1 } { policy_string = mode: enforce } { policy_string = mx: mx1.mandant.test } ' +
        '{ policy_string = mx: *.mx.mandant.test } { policy_string = max_age: 86400 }',
    );
    // Only MTA-STS answers carry them: Postfix reports DANE itself, and refuses them on other policies.
    expect(reply('encrypt', 'off', 'off', V310)).toBe(`encrypt ${TAIL}`);
    expect(reply('may', 'dane_required', 'enforce', V310)).toBe(DANE_ONLY);
    expect(reply('may', 'off', 'enforce', V37)).toBe(SECURE);
  });

  it('policy_ttl never goes below 0 for a policy at its expiry', () => {
    const r = resolution('enforce');
    const late = new Date(Date.parse(r.expiresAt!) + 5000);
    expect(tlsRptAttributes(r, V310, late)).toContainEqual({ name: 'policy_ttl', value: '0' });
  });
});
