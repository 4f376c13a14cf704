import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { analyzeReceived } from '../../src/inbound/analyze-received.js';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/received/${name}`, import.meta.url), 'utf8');
const TRUSTED = ['mx1.kanzlei.test', 'imap.kanzlei.test', '10.0.0.5', '127.0.0.1'];
const policy = createPolicy({
  inbound: {
    rules: [
      { match: 'bank.test', level: 'encrypt' },
      { match: 'strict.test', level: 'encrypt', minVersion: 'TLSv1.3' },
    ],
  },
});

const hop = (from: string, by: string, rest: string) =>
  `Received: from ${from}\r\n\tby ${by} ${rest}; Fri, 27 Nov 2026 10:00:00 +0100\r\n`;
const PLAIN_INTO_MX = hop(
  'attacker.test (unknown [203.0.113.66])',
  'mx1.kanzlei.test (Postfix)',
  'with ESMTP id A',
);
const TLS12_INTO_MX = hop(
  'mail.bank.test (mail.bank.test [192.0.2.10])\r\n\t(using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits))',
  'mx1.kanzlei.test (Postfix)',
  'with ESMTPS id B',
);
const FORGED_TLS = hop(
  'mail.bank.test (mail.bank.test [192.0.2.10])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))',
  'mx1.kanzlei.test (Postfix)',
  'with ESMTPS id C',
);

describe('analyzeReceived: the trusted boundary', () => {
  it('walks past internal hops (LMTP, content filter on 127.0.0.1) to the hop into the MX', () => {
    const result = analyzeReceived(fixture('chain-tls.eml'), { trustedHosts: TRUSTED });
    expect(result.status).toBe('boundary_found');
    expect(result.boundary?.index).toBe(2);
    expect(result).toMatchObject({ tls: 'tls', tlsVersion: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' });
    expect(result.hops.map((h) => [h.trusted, h.fromTrusted])).toEqual([
      [true, true],
      [true, true],
      [true, false],
      [false, false],
    ]);
  });

  it('ignores spoofed TLS hops written below the boundary (before the message reached us)', () => {
    const result = analyzeReceived(fixture('chain-spoofed.eml'), { trustedHosts: TRUSTED });
    expect(result.boundary?.index).toBe(1);
    expect(result.tls).toBe('plaintext');
    expect(result.hops[2]?.tls).toBe('tls'); // reported, never used
    const check = analyzeReceived(fixture('chain-spoofed.eml'), {
      trustedHosts: TRUSTED,
      policy,
      sender: 'client@bank.test',
    });
    expect(check.rule).toMatchObject({ outcome: 'not_met', reason: 'tls_missing' });
  });

  it('never trusts a client by its HELO name, only by the recorded address', () => {
    const heloSpoof = hop('mx1.kanzlei.test (unknown [203.0.113.66])', 'mx1.kanzlei.test', 'with ESMTP id D');
    const result = analyzeReceived(heloSpoof + FORGED_TLS, { trustedHosts: TRUSTED });
    expect(result.boundary?.index).toBe(0);
    expect(result.tls).toBe('plaintext');
  });

  it('does not search below an untrusted topmost header', () => {
    const untrustedTop = hop('mx1.kanzlei.test ([10.0.0.5])', 'mx.elsewhere.test', 'with ESMTPS id E');
    const result = analyzeReceived(untrustedTop + FORGED_TLS, { trustedHosts: TRUSTED });
    expect(result).toMatchObject({ status: 'top_hop_untrusted', tls: 'unknown', boundary: null });
  });

  it('stops when an internal relay’s own header is missing', () => {
    const internal = hop('relay.kanzlei.test ([10.0.0.5])', 'imap.kanzlei.test', 'with LMTP id F');
    const unlisted = hop('x.test (x.test [192.0.2.99])', 'relay.kanzlei.test', 'with ESMTPS id G');
    const result = analyzeReceived(internal + unlisted, { trustedHosts: TRUSTED });
    expect(result).toMatchObject({ status: 'trusted_chain_broken', tls: 'unknown' });
  });

  it('reports no boundary for locally submitted mail and for messages without Received', () => {
    const local = 'Received: by mx1.kanzlei.test (Postfix, from userid 1000) id H; Fri, 27 Nov 2026\r\n';
    expect(analyzeReceived(local, { trustedHosts: TRUSTED }).status).toBe('no_boundary');
    expect(analyzeReceived('Subject: x\r\n\r\nbody', { trustedHosts: TRUSTED }).status).toBe(
      'no_received_headers',
    );
  });
});

describe('analyzeReceived: inputs', () => {
  const raw = fixture('chain-tls.eml');
  const lines = raw.split('\r\n\r\n')[0]!.split(/\r\n(?![ \t])/);
  const received = lines.filter((l) => /^received:/i.test(l)).map((l) => l.replace(/^received:\s*/i, ''));

  it.each([
    ['raw text', raw],
    ['a Buffer', Buffer.from(raw)],
    [
      'a mailparser-like result',
      { headerLines: lines.map((line) => ({ key: line.split(':')[0]!.toLowerCase(), line })) },
    ],
    ['a header map', { Received: received }],
    ['a Map', new Map([['received', received]])],
  ])('accepts %s', (_name, input) => {
    const result = analyzeReceived(input, { trustedHosts: TRUSTED });
    expect(result.hops).toHaveLength(4);
    expect(result.tls).toBe('tls');
  });

  it('fails early on invalid trustedHosts, naming the entry', () => {
    const attempt = (trustedHosts: string[]) => () => analyzeReceived(raw, { trustedHosts });
    expect(attempt([])).toThrow(/trustedHosts/);
    for (const bad of ['mx one.test', '10.0.0.0/33', 'a..b']) {
      try {
        attempt(['mx1.kanzlei.test', bad])();
        expect.unreachable();
      } catch (error) {
        expect(isForcedTlsError(error) && error.code === 'EPOLICY' && error.path === 'trustedHosts[1]').toBe(
          true,
        );
      }
    }
  });

  it('fails early on invalid size limits', () => {
    for (const maxHops of [0, -1, 1.5, Number.NaN]) {
      expect(() => analyzeReceived(raw, { trustedHosts: TRUSTED, maxHops })).toThrow(/maxHops/);
    }
  });

  it('matches trusted hosts by subdomain pattern, CIDR range and IDN', () => {
    const idn = hop('a.test (a.test [10.1.2.3])', 'mx.müller-steuer.test', 'with ESMTP id I');
    const below = hop('b.test (b.test [192.0.2.7])', 'mx.xn--mller-steuer-dlb.test', 'with ESMTPS id J');
    const result = analyzeReceived(idn + below, {
      trustedHosts: ['*.xn--mller-steuer-dlb.test', '10.0.0.0/8'],
    });
    expect(result.boundary?.index).toBe(1);
    expect(result.tls).toBe('tls');
  });
});

describe('analyzeReceived: the sender’s inbound rule', () => {
  const check = (headers: string, sender: string, extra = {}) =>
    analyzeReceived(headers, { trustedHosts: TRUSTED, policy, sender, ...extra }).rule;

  it.each([
    ['TLS 1.2 meets the default minimum', TLS12_INTO_MX, 'client@bank.test', 'met', 'tls_ok'],
    ['plaintext breaks a TLS rule', PLAIN_INTO_MX, 'client@bank.test', 'not_met', 'tls_missing'],
    ['TLS 1.2 is below a TLSv1.3 rule', TLS12_INTO_MX, 'a@strict.test', 'not_met', 'tls_version_too_old'],
    ['plaintext is fine for an unlisted sender', PLAIN_INTO_MX, 'a@other.test', 'met', 'tls_not_required'],
    [
      'ESMTPS without a stated version cannot prove a minimum',
      hop('a.test (a.test [192.0.2.3])', 'mx1.kanzlei.test', 'with ESMTPS id K'),
      'client@bank.test',
      'undetermined',
      'tls_version_unknown',
    ],
    [
      'an unknown format is undetermined, never met',
      hop('a.test (192.0.2.3)', 'mx1.kanzlei.test (10.0.0.1)', 'with Microsoft SMTP Server id 15.2'),
      'client@bank.test',
      'undetermined',
      'tls_unknown',
    ],
    ['a malformed sender is undetermined', TLS12_INTO_MX, 'not an address', 'undetermined', 'invalid_sender'],
  ])('%s', (_name, headers, sender, outcome, reason) => {
    expect(check(headers, sender)).toMatchObject({ outcome, reason });
  });

  it('a whitelisted sender meets its rule in plaintext, and the check says so', () => {
    const whitelist = createWhitelistIndex([
      {
        id: 'w1',
        direction: 'inbound',
        scope: 'address',
        value: 'client@bank.test',
        reason: 'legacy scanner',
        approvedBy: 'it@kanzlei.test',
        createdAt: '2026-01-01T00:00:00Z',
      },
    ]);
    const rule = check(PLAIN_INTO_MX, 'client@bank.test', { whitelist });
    expect(rule).toMatchObject({ outcome: 'met', reason: 'whitelisted' });
    expect(rule?.decision?.entry?.id).toBe('w1');
  });

  it('requires a sender with a policy', () => {
    expect(() => analyzeReceived(PLAIN_INTO_MX, { trustedHosts: TRUSTED, policy })).toThrow(/sender/);
  });
});
