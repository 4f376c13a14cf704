import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  type ErrorCode,
  type RecipientCode,
  type RecipientFailure,
} from '../../src/errors/index.js';
import { envelopeReply } from '../../src/transport/relay/nodemailer-contract.js';
import {
  type FailureFacts,
  isPermanentResponseCode,
  nodemailerShape,
} from '../../src/transport/relay/nodemailer-shape.js';

// The pure table behind forceTls's error contract; nodemailer-contract.test.ts checks it against the
// errors a real nodemailer gives.

const facts = (
  code: RecipientCode,
  phase: FailureFacts['phase'],
  more: Partial<FailureFacts> = {},
): FailureFacts => ({
  code,
  phase,
  message: 'x',
  ...more,
});

describe('nodemailerShape: the error nodemailer gives for each failure that is not about TLS', () => {
  it.each([
    [facts('EREJECTED', 'auth', { command: 'AUTH LOGIN' }), { code: 'EAUTH', command: 'AUTH LOGIN' }],
    [facts('EREJECTED', 'mail', { command: 'MAIL FROM' }), { code: 'EENVELOPE', command: 'MAIL FROM' }],
    [facts('EREJECTED', 'rcpt', { command: 'RCPT TO' }), { code: 'EENVELOPE', command: 'RCPT TO' }],
    [
      facts('EREJECTED', 'data', { message: 'rejected (data): Message failed: 554' }),
      { code: 'EMESSAGE', command: 'DATA' },
    ],
    [
      facts('EREJECTED', 'data', { message: 'rejected (data): Data command failed: 554' }),
      { code: 'EENVELOPE', command: 'DATA' },
    ],
    [
      facts('EREJECTED', 'ehlo', { command: 'EHLO', response: '554 no' }),
      { code: 'ECONNECTION', command: 'EHLO' },
    ],
    [facts('ECONNECT', 'connect'), { code: 'ESOCKET', command: 'CONN' }],
    [facts('ECONNECT', 'dns'), { code: 'EDNS', command: 'CONN' }],
    [facts('ECONNECT', 'data', { command: 'DATA' }), { code: 'ECONNECTION', command: 'CONN' }],
    [
      facts('ECONNECT', 'ehlo', { command: 'EHLO', response: '421 bye' }),
      { code: 'ECONNECTION', command: 'EHLO' },
    ],
    [facts('ETIMEOUT', 'connect'), { code: 'ETIMEDOUT', command: 'CONN', timeoutType: 'CONNECT_TIMEOUT' }],
    [facts('ETIMEOUT', 'greeting'), { code: 'ETIMEDOUT', command: 'CONN', timeoutType: 'GREETING_TIMEOUT' }],
    [facts('ETIMEOUT', 'handshake'), { code: 'ETIMEDOUT', command: 'CONN', timeoutType: 'UPGRADE_TIMEOUT' }],
    [
      facts('ETIMEOUT', 'rcpt', { command: 'RCPT TO' }),
      { code: 'ETIMEDOUT', command: 'CONN', timeoutType: 'SOCKET_TIMEOUT' },
    ],
    [facts('EPROTOCOL', 'greeting'), { code: 'EPROTOCOL', command: 'CONN' }],
    [facts('EPROTOCOL', 'mail', { command: 'MAIL FROM' }), { code: 'EPROTOCOL', command: 'MAIL FROM' }],
  ])('%o → %o', (input, expected) => {
    expect(nodemailerShape(input)).toEqual(expected);
  });

  it('every TLS refusal is the library’s own ETLSREQUIRED', () => {
    const tls = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
      (c): c is RecipientCode => ERROR_CODES[c].category === 'recipient' && ERROR_CODES[c].tls,
    );
    expect(tls.length).toBeGreaterThan(10);
    for (const code of tls)
      expect(nodemailerShape(facts(code, 'starttls'))).toEqual({ code: 'ETLSREQUIRED' });
  });

  it('direct mode’s DNS codes, which no relay transaction gives, have no nodemailer code: EDELIVERY', () => {
    for (const code of ['ENOMX', 'ENULLMX', 'EDNSSEC'] as const) {
      expect(nodemailerShape(facts(code, 'dns')).code).toBe('EDELIVERY');
    }
  });

  it('the nodemailer codes are a category of their own in ERROR_CODES', () => {
    const nodemailerCodes = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
      (c) => ERROR_CODES[c].category === 'nodemailer',
    );
    expect(nodemailerCodes.sort()).toEqual([
      'EAUTH',
      'ECONNECTION',
      'EDNS',
      'EENVELOPE',
      'EMESSAGE',
      'ESOCKET',
      'ETIMEDOUT',
    ]);
  });

  it('permanent is nodemailer’s: every 5xx but 503', () => {
    expect([550, 554, 535, 503, 451, 421, 250].map(isPermanentResponseCode)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('an all-rejected envelope carries the first deferred reply from nodemailer 10.0.12 on, the last before', () => {
    const failure = (recipient: string, responseCode: number) =>
      ({ recipient, responseCode, response: `${responseCode} x` }) as unknown as RecipientFailure;
    const list = [failure('a@x.test', 550), failure('b@x.test', 451), failure('c@x.test', 554)];
    expect(envelopeReply(list, '10.0.12').recipient).toBe('b@x.test');
    expect(envelopeReply(list, '10.6.1').recipient).toBe('b@x.test');
    expect(envelopeReply(list, '10.0.11').recipient).toBe('c@x.test');
    expect(envelopeReply(list, '6.9.16').recipient).toBe('c@x.test');
    expect(envelopeReply([failure('a@x.test', 550), failure('b@x.test', 553)], '10.6.1').recipient).toBe(
      'b@x.test',
    );
  });
});
