import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import { readDelayReason } from '../../src/postfix/delay-reason.js';
import { parsePostqueueJson } from '../../src/postfix/postqueue.js';
import { queuedTlsRefusals } from '../../src/postfix/queue-refusals.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';

// Lines as Postfix 3.7.11 printed them in the integration runs.
const QUEUE = [
  '{"queue_name": "deferred", "queue_id": "4ACE920C621", "arrival_time": 1796182109, "message_size": 420, "forced_expire": false, "sender": "kanzlei@sender.test", "recipients": [{"address": "Boss@PerAddr.test", "delay_reason": "Server certificate not verified"}]}',
  '{"queue_name": "deferred", "queue_id": "5B1C0A1F2D", "arrival_time": 1796182200, "message_size": 512, "forced_expire": false, "sender": "kanzlei@sender.test", "recipients": [{"address": "a@plain.test", "delay_reason": "TLS is required, but was not offered by host localhost[127.0.0.1]"}, {"address": "b@fine.test", "delay_reason": "connect to fine.test[192.0.2.1]:25: Connection refused"}, {"address": "c@pinned.test", "delay_reason": "Server certificate not verified"}]}',
  '{"queue_name": "deferred", "queue_id": "6C2D1B2E3F", "arrival_time": 1796182300, "message_size": 300, "forced_expire": false, "sender": "", "recipients": [{"address": "x@legacy.test", "delay_reason": "TLS is required, but host mx.legacy.test[192.0.2.7] refused to start TLS: 454 4.7.0 TLS not available due to local problem"}, {"address": "y@fixed.test", "delay_reason": "client TLS configuration problem"}, {"address": "z@new.test"}]}',
  '',
].join('\n');

const policy = createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [
      { match: 'peraddr.test', level: 'verify' },
      { match: 'pinned.test', level: 'fingerprint', fingerprints: ['ab'.repeat(32)], whitelistable: false },
    ],
  },
});

describe('postqueue -j', () => {
  it('parses every message and recipient', () => {
    const messages = parsePostqueueJson(QUEUE);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toEqual({
      queueName: 'deferred',
      queueId: '4ACE920C621',
      arrivalTime: '2026-12-02T03:28:29.000Z',
      messageSize: 420,
      sender: 'kanzlei@sender.test',
      recipients: [{ address: 'Boss@PerAddr.test', delayReason: 'Server certificate not verified' }],
    });
    expect(messages[2]?.recipients[2]).toEqual({ address: 'z@new.test' });
  });

  it.each([
    ['not JSON', '{"queue_name": ', /line 1: not JSON/],
    ['an array', '[]', /line 1: not an object/],
    [
      'a missing queue_id',
      '{"queue_name":"deferred","arrival_time":1,"message_size":1,"sender":"","recipients":[]}',
      /queue_id must be a string/,
    ],
    [
      'bad recipients',
      '{"queue_name":"d","queue_id":"A","arrival_time":1,"message_size":1,"sender":"","recipients":{}}',
      /recipients must be an array/,
    ],
    [
      'a bad arrival time',
      '{"queue_name":"d","queue_id":"A","arrival_time":1e300,"message_size":1,"sender":"","recipients":[]}',
      /arrival_time/,
    ],
  ])('refuses %s with EPOSTFIX naming the line', (_what, text, message) => {
    expect(() => parsePostqueueJson(text)).toThrow(message);
    expect(() => parsePostqueueJson(text)).toThrow(
      expect.objectContaining({ code: 'EPOSTFIX', path: 'line 1' }),
    );
  });
});

describe('delay reasons', () => {
  it.each([
    [
      'TLS is required, but was not offered by host mx.a.de[192.0.2.1]',
      'encrypt',
      { code: 'ENOSTARTTLS', phase: 'starttls', server: 'mx.a.de[192.0.2.1]' },
    ],
    [
      'TLS is required, but host mx.a.de[192.0.2.1] refused to start TLS: 454 4.7.0 nope',
      'encrypt',
      { code: 'ESTARTTLSREFUSED', response: '454 4.7.0 nope' },
    ],
    ['Cannot start TLS: handshake failure', 'encrypt', { code: 'EHANDSHAKE', phase: 'handshake' }],
    ['Server certificate not verified', 'verify', { code: 'ERECIPIENTTLS', phase: 'certificate' }],
    ['Server certificate not verified', 'fingerprint', { code: 'EFINGERPRINT' }],
  ])('%s (%s)', (reason, level, expected) => {
    expect(readDelayReason(reason, level)).toMatchObject({ kind: 'tls_refusal', ...expected });
  });

  it('tells local problems and other reasons apart', () => {
    expect(readDelayReason('client TLS configuration problem', 'encrypt')).toEqual({
      kind: 'local_tls_problem',
    });
    expect(readDelayReason('connect to a.de[192.0.2.1]:25: Connection refused', 'encrypt')).toEqual({
      kind: 'other',
    });
    expect(readDelayReason('', 'encrypt')).toEqual({ kind: 'other' });
  });
});

describe('queued TLS refusals', () => {
  const legacy: WhitelistEntry = {
    id: 'wl-legacy',
    direction: 'outbound',
    scope: 'domain',
    value: 'legacy.test',
    reason: 'written consent',
    approvedBy: 'StB Müller',
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  it('lists one refusal per recipient waiting for TLS, with the current decision and texts for the sender', () => {
    const scan = queuedTlsRefusals(parsePostqueueJson(QUEUE), policy, createWhitelistIndex([legacy]));
    expect(scan.localProblems).toBe(1);
    expect(scan.other).toBe(2);
    expect(scan.refusals.map((r) => [r.queueId, r.recipient, r.code, r.mayWhitelist, r.whitelisted])).toEqual(
      [
        ['4ACE920C621', 'Boss@peraddr.test', 'ERECIPIENTTLS', true, false],
        ['5B1C0A1F2D', 'a@plain.test', 'ENOSTARTTLS', true, false],
        ['5B1C0A1F2D', 'c@pinned.test', 'EFINGERPRINT', false, false],
        ['6C2D1B2E3F', 'x@legacy.test', 'ESTARTTLSREFUSED', false, true],
      ],
    );
    const plain = scan.refusals[1]!;
    expect(plain).toMatchObject({
      sender: 'kanzlei@sender.test',
      domain: 'plain.test',
      level: 'encrypt',
      mx: 'localhost',
      mxTried: ['localhost[127.0.0.1]'],
      phase: 'starttls',
      transient: true,
      untrusted: false,
      whitelistRequest: { direction: 'outbound', scope: 'domain', value: 'plain.test' },
      text: {
        de: 'Nicht zugestellt: Der Mailserver von plain.test unterstützt keine Verschlüsselung (TLS). Unverschlüsselt senden? Bitten Sie Ihre Administration, plain.test freizugeben (Whitelist).',
        en: 'Not delivered: the mail server of plain.test does not support encryption (TLS). Send unencrypted? Ask your administrator to whitelist plain.test.',
      },
    });
    // Server text quoted before TLS is marked untrusted.
    expect(scan.refusals[3]).toMatchObject({
      response: '454 4.7.0 TLS not available due to local problem',
      untrusted: true,
    });
    expect(scan.refusals[2]?.whitelistRequest).toBeUndefined();
  });
});
