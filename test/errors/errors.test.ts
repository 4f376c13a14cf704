import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ERROR_CODES,
  type ErrorCode,
  isErrorCode,
  isTlsRefusalCode,
  type RecipientCode,
} from '../../src/errors/codes.js';
import { ForcedTlsError, isForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { userMessage, whitelistHint } from '../../src/errors/messages.js';

const recipientCodes = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
  (code): code is RecipientCode => ERROR_CODES[code].category === 'recipient',
);

describe('ForcedTlsError', () => {
  it('carries code, path, value, cause and the transient default of its code', () => {
    const cause = new Error('inner');
    const error = new ForcedTlsError('EPOLICY', 'bad', { path: 'outbound.default', value: 'x', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ForcedTlsError');
    expect(error).toMatchObject({
      code: 'EPOLICY',
      path: 'outbound.default',
      value: 'x',
      transient: false,
      cause,
    });
    expect(new ForcedTlsError('ETIMEOUT', 't').transient).toBe(true);
    expect(new ForcedTlsError('ETIMEOUT', 't', { transient: false }).transient).toBe(false);
  });

  it('serializes to plain data without a stack', () => {
    const json = new ForcedTlsError('ESTORE', 'corrupt', {
      value: '/tmp/x.json',
      cause: new TypeError('bad json'),
    }).toJSON();
    expect(json).toEqual({
      name: 'ForcedTlsError',
      code: 'ESTORE',
      message: 'corrupt',
      transient: false,
      value: '/tmp/x.json',
      cause: { name: 'TypeError', message: 'bad json' },
    });
    expect(JSON.stringify(json)).not.toContain('at ');
  });

  it('is recognized by the brand, not only by instanceof', () => {
    const error = new ForcedTlsError('EADDRESS', 'x');
    expect(isForcedTlsError(error)).toBe(true);
    // A copy from another module instance (ESM next to CJS) shares the registered symbol.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('forced-tls.error')]: true });
    expect(isForcedTlsError(foreign)).toBe(true);
    expect(isForcedTlsError(new Error('x'))).toBe(false);
    expect(isForcedTlsError(null)).toBe(false);
    expect(isForcedTlsError({ code: 'EPOLICY' })).toBe(false);
  });

  it('freezes its recipient list', () => {
    const error = new ForcedTlsError('ETLSREQUIRED', 'x', { recipients: [] });
    expect(Object.isFrozen(error.recipients)).toBe(true);
  });
});

describe('error code table', () => {
  it('classifies codes', () => {
    expect(isErrorCode('ENOSTARTTLS')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isTlsRefusalCode('ENOSTARTTLS')).toBe(true);
    expect(isTlsRefusalCode('ECONNECT')).toBe(false);
    expect(isTlsRefusalCode('EPOLICY')).toBe(false);
  });

  it.each(recipientCodes)('%s has a German and an English user message naming the domain', (code) => {
    const de = userMessage(code, 'de', 'mandant-gmbh.de');
    const en = userMessage(code, 'en', 'mandant-gmbh.de');
    expect(de).toMatch(/^Nicht zugestellt: /);
    expect(en).toMatch(/^Not delivered: /);
    if (code !== 'EREQUIRETLS') {
      expect(de).toContain('mandant-gmbh.de');
      expect(en).toContain('mandant-gmbh.de');
    }
  });

  it('offers the whitelist hint in both languages', () => {
    expect(whitelistHint('en', 'mandant-gmbh.de')).toBe(
      'Send unencrypted? Ask your administrator to whitelist mandant-gmbh.de.',
    );
    expect(whitelistHint('de', 'mandant-gmbh.de')).toContain('mandant-gmbh.de freizugeben');
  });

  it('derives the code types from the table', () => {
    expectTypeOf<RecipientCode>().toExtend<ErrorCode>();
    expectTypeOf<'ENOSTARTTLS'>().toExtend<RecipientCode>();
    expectTypeOf<'EPOLICY'>().not.toExtend<RecipientCode>();
    expectTypeOf(new ForcedTlsError('EPOLICY', 'x').code).toEqualTypeOf<ErrorCode>();
  });
});
