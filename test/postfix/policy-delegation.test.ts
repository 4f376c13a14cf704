import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundReport } from '../../src/inbound/guard-types.js';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import { createPolicyDelegationServer } from '../../src/postfix/policy-delegation-server.js';
import { PolicyRequestReader } from '../../src/postfix/policy-request-reader.js';
import type { ProtocolErrorEvent } from '../../src/postfix/server-connections.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';
import { rawClient } from './raw-socket.js';

const policy = createPolicy({
  inbound: {
    rules: [
      { match: 'bank.test', level: 'encrypt' },
      { match: 'modern.test', level: 'encrypt', minVersion: 'TLSv1.3' },
    ],
  },
});

const scanner: WhitelistEntry = {
  id: 'wl-scanner',
  direction: 'inbound',
  scope: 'address',
  value: 'scanner@bank.test',
  reason: 'document scanner without TLS',
  approvedBy: 'it@kanzlei.test',
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** A request as Postfix 3.7 sends it at RCPT time. */
function postfixRequest(attributes: Record<string, string>): string {
  const all = {
    request: 'smtpd_access_policy',
    protocol_state: 'RCPT',
    protocol_name: 'ESMTP',
    client_address: '127.0.0.1',
    client_name: 'localhost',
    reverse_client_name: 'localhost',
    helo_name: 'client.test',
    sender: '',
    recipient: 'inbox@kanzlei.test',
    recipient_count: '0',
    queue_id: '',
    instance: '1a2b.3c4d5e6f.1234.0',
    size: '0',
    encryption_protocol: '',
    encryption_cipher: '',
    encryption_keysize: '0',
    ...attributes,
  };
  return `${Object.entries(all)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n\n`;
}

const TLS = {
  encryption_protocol: 'TLSv1.3',
  encryption_cipher: 'TLS_AES_256_GCM_SHA384',
  encryption_keysize: '256',
};

describe('policy request reader', () => {
  it('reads attribute lines up to the empty line, several requests per chunk, CRLF tolerated', () => {
    const reader = new PolicyRequestReader();
    const result = reader.push(
      Buffer.from('request=smtpd_access_policy\nsender=a@b.de\n\nrequest=x\r\nsender=\r\n\r\n'),
    );
    expect(result.ok).toBe(true);
    expect(result.requests.map((r) => Object.fromEntries(r))).toEqual([
      { request: 'smtpd_access_policy', sender: 'a@b.de' },
      { request: 'x', sender: '' },
    ]);
  });

  it('keeps a value with = and spaces as sent', () => {
    const result = new PolicyRequestReader().push(Buffer.from('ccert_subject=CN=a b, O=c\n\n'));
    expect(result.requests[0]?.get('ccert_subject')).toBe('CN=a b, O=c');
  });

  it.each([
    ['a line without =', 'sender\n', 'line_without_equals'],
    ['a bad name', 'Sender=x\n', 'bad_attribute_name'],
    ['a repeated attribute', 'sender=a\nsender=b\n', 'repeated_attribute'],
    ['a line over the limit', `sender=${'x'.repeat(100)}\n`, 'line_too_long'],
    ['an unterminated line over the limit', `sender=${'x'.repeat(100)}`, 'line_too_long'],
    ['too many attributes', 'a=1\nb=2\nc=3\nd=4\n', 'too_many_attributes'],
    ['invalid UTF-8', Buffer.from([0x61, 0x3d, 0xff, 0x0a]), 'not_utf8'],
  ])('refuses %s and stays failed', (_what, input, problem) => {
    const reader = new PolicyRequestReader({ maxLineLength: 64, maxAttributes: 3 });
    expect(reader.push(Buffer.from(input))).toMatchObject({ ok: false, problem });
    expect(reader.push(Buffer.from('a=1\n\n'))).toMatchObject({ ok: false, requests: [] });
  });

  it('fuzz: requests split at any points read the same as whole', () => {
    const name = fc.stringMatching(/^[a-z][a-z_]{0,10}$/);
    const value = fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(
        fc.array(
          fc.uniqueArray(fc.tuple(name, value), { minLength: 1, maxLength: 6, selector: ([n]) => n }),
          {
            maxLength: 4,
          },
        ),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 8 }),
        (requests, sizes) => {
          const bytes = Buffer.from(
            requests.map((r) => `${r.map(([n, v]) => `${n}=${v}`).join('\n')}\n\n`).join(''),
          );
          const reader = new PolicyRequestReader();
          const got: Record<string, string>[] = [];
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const size = sizes[i % sizes.length]!;
            const result = reader.push(bytes.subarray(at, at + size));
            expect(result.ok).toBe(true);
            got.push(...result.requests.map((r) => Object.fromEntries(r)));
            at += size;
          }
          expect(got).toEqual(requests.map((r) => Object.fromEntries(r)));
        },
      ),
      { seed: 20261202, numRuns: 1500 },
    );
  });
});

describe('policy delegation server on a real socket', () => {
  const reports: InboundReport[] = [];
  const errors: ProtocolErrorEvent[] = [];
  let failReports = false;
  const server = createPolicyDelegationServer({
    policy,
    whitelist: createWhitelistIndex([scanner]),
    clock: () => new Date('2026-12-01T10:00:00Z'),
    onDecision: (r) => {
      if (failReports) throw new Error('audit store down');
      reports.push(r);
    },
    onProtocolError: (e) => errors.push(e),
  });
  let port = 0;
  beforeAll(async () => {
    const bound = await server.listen({ host: '127.0.0.1', port: 0 });
    port = 'port' in bound ? bound.port : 0;
  });
  afterAll(() => server.close());

  it('rejects a listed sender in plaintext with 530 5.7.0 and reports it like the guard', async () => {
    const c = await rawClient(port);
    c.send(postfixRequest({ sender: 'client@bank.test' }));
    expect(await c.replies(1)).toEqual(['action=530 5.7.0 Must issue a STARTTLS command first']);
    c.end();
    expect(reports.at(-1)).toEqual({
      at: '2026-12-01T10:00:00.000Z',
      sessionId: '1a2b.3c4d5e6f.1234.0',
      sender: 'client@bank.test',
      remoteAddress: '127.0.0.1',
      clientHostname: 'localhost',
      helo: 'client.test',
      protocol: null,
      cipher: null,
      outcome: 'reject',
      reason: 'tls_missing',
      decision: expect.objectContaining({ level: 'encrypt', source: 'rule' }),
      rule: 'bank.test',
      whitelistEntry: null,
      response: { code: 530, message: '5.7.0 Must issue a STARTTLS command first' },
    });
  });

  it('answers several requests on one connection: DUNNO over TLS, for unlisted and whitelisted senders', async () => {
    const c = await rawClient(port);
    c.send(postfixRequest({ sender: 'client@bank.test', ...TLS }));
    c.send(
      postfixRequest({ sender: 'someone@other.test' }) + postfixRequest({ sender: 'Scanner@Bank.test' }),
    );
    expect(await c.replies(3)).toEqual(['action=DUNNO', 'action=DUNNO', 'action=DUNNO']);
    c.end();
    expect(
      reports.slice(-3).map((r) => [r.sender, r.outcome, r.reason, r.protocol, r.whitelistEntry]),
    ).toEqual([
      ['client@bank.test', 'accept', 'tls_ok', 'TLSv1.3', null],
      ['someone@other.test', 'accept', 'tls_not_required', null, null],
      ['Scanner@Bank.test', 'accept', 'whitelisted', null, 'wl-scanner'],
    ]);
    expect(reports.at(-3)?.cipher).toBe('TLS_AES_256_GCM_SHA384');
  });

  it('rejects a TLS version below the rule’s minimum, and an unparsable sender, as the guard does', async () => {
    const c = await rawClient(port);
    c.send(postfixRequest({ sender: 'a@modern.test', ...TLS, encryption_protocol: 'TLSv1.2' }));
    c.send(postfixRequest({ sender: '"a b"@bank.test', ...TLS }));
    expect(await c.replies(2)).toEqual([
      'action=530 5.7.0 TLSv1.2 is too old for this sender, TLSv1.3 or later is required',
      'action=553 5.1.7 Invalid sender address',
    ]);
    c.end();
  });

  it('does not decide before MAIL FROM (CONNECT, EHLO): DUNNO without a report', async () => {
    const c = await rawClient(port);
    const before = reports.length;
    c.send(
      postfixRequest({ protocol_state: 'CONNECT', sender: '' }) + postfixRequest({ protocol_state: 'EHLO' }),
    );
    expect(await c.replies(2)).toEqual(['action=DUNNO', 'action=DUNNO']);
    c.end();
    expect(reports.length).toBe(before);
  });

  it('answers 451 4.3.0 when the decision cannot be recorded', async () => {
    failReports = true;
    const c = await rawClient(port);
    c.send(postfixRequest({ sender: 'someone@other.test' }));
    expect(await c.replies(1)).toEqual(['action=451 4.3.0 Temporary local problem, try again later']);
    c.end();
    failReports = false;
  });

  it.each([
    [
      'a request that is no access policy request',
      'request=junk\nsender=a@b.de\n\n',
      'not_an_access_policy_request',
    ],
    ['a line without =', 'request=smtpd_access_policy\ngarbage\n\n', 'line_without_equals'],
    ['a line over 8192 bytes', `sender=${'x'.repeat(9000)}\n`, 'line_too_long'],
  ])(
    'closes the connection on %s (Postfix then applies its default action)',
    async (_what, bytes, problem) => {
      const c = await rawClient(port);
      c.send(bytes);
      await c.closed();
      expect(errors.at(-1)).toMatchObject({ problem });
    },
  );

  it('rejectAs temporary answers 450 4.7.0, and a failing whitelist is reported, the decision made without it', async () => {
    const strict = createPolicyDelegationServer({
      policy,
      rejectAs: 'temporary',
      whitelist: () => Promise.reject(new Error('store down')),
      onDecision: (r) => void reports.push(r),
    });
    const bound = await strict.listen({ host: '127.0.0.1', port: 0 });
    const c = await rawClient('port' in bound ? bound.port : 0);
    c.send(postfixRequest({ sender: 'scanner@bank.test' }));
    expect(await c.replies(1)).toEqual(['action=450 4.7.0 Must issue a STARTTLS command first']);
    expect(reports.at(-1)).toMatchObject({ outcome: 'reject', whitelistError: 'store down' });
    c.end();
    await strict.close();
  });

  it('refuses bad options at construction with EPOLICY', () => {
    expect(() => createPolicyDelegationServer({ policy, rejectAs: 'never' as never })).toThrow(
      expect.objectContaining({ path: 'rejectAs' }),
    );
    expect(() => createPolicyDelegationServer({ policy: {} as never })).toThrow(
      expect.objectContaining({ path: 'policy' }),
    );
  });
});
