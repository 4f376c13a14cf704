import { describe, expect, it } from 'vitest';
import { directHarnesses, refusal, STALL, sensitiveInPlaintext } from '../support/transport-harness.js';

const harness = directHarnesses();

describe('direct mode: STARTTLS response injection is discarded (RFC 3207 §6)', () => {
  it('ignores complete lines injected after 220 and delivers with the post-TLS EHLO only', async () => {
    const h = await harness({ starttlsResponse: '220 Go ahead\r\n250-evil.test\r\n250 AUTH LOGIN\r\n' });
    const info = await h.send();
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(h.mx.messages[0]?.secure).toBe(true);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('ignores a CRLF-free fragment injected after 220 and delivers over TLS', async () => {
    const h = await harness({ starttlsResponse: '220 Go ahead\r\n250 AUTH' });
    const info = await h.send();
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(h.mx.messages[0]?.secure).toBe(true);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('ends an unfinished multi-line reply injected after 220 by the reply timeout (ETIMEOUT at starttls)', async () => {
    const h = await harness({ starttlsResponse: '220 Go ahead\r\n250-AUTH PLAIN\r\n25' }, undefined, {
      timeouts: STALL,
    });
    const started = Date.now();
    const error = await refusal(h.send());
    expect(Date.now() - started).toBeLessThan(STALL.reply * 4);
    expect(error.recipients[0]).toMatchObject({ code: 'ETIMEOUT', phase: 'starttls', transient: true });
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });
});

describe('direct mode: broken handshakes and old TLS are refused', () => {
  it('refuses garbage instead of a ServerHello (EHANDSHAKE at handshake)', async () => {
    const h = await harness({ afterStarttls: 'garbage' });
    const error = await refusal(h.send());
    expect(error.code).toBe('ETLSREQUIRED');
    expect(error.recipients[0]).toMatchObject({ code: 'EHANDSHAKE', phase: 'handshake', mayWhitelist: true });
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('refuses a server that closes the connection after 220 to STARTTLS (EHANDSHAKE)', async () => {
    const h = await harness({ afterStarttls: 'close' });
    const error = await refusal(h.send());
    expect(error.recipients[0]).toMatchObject({ code: 'EHANDSHAKE', phase: 'handshake' });
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('refuses a server limited to TLS 1.0/1.1 (ETLSVERSION)', async () => {
    const h = await harness({
      tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
    });
    const error = await refusal(h.send());
    expect(error.recipients[0]).toMatchObject({
      code: 'ETLSVERSION',
      phase: 'handshake',
      mayWhitelist: true,
    });
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });
});

describe('direct mode: stalls end by the configured timeouts, never in plaintext', () => {
  it.each([
    ['greeting', 'greeting'],
    ['ehlo', 'ehlo'],
    ['starttls', 'starttls'],
    ['ehlo-tls', 'ehlo'],
  ] as const)('a server stalling at %s → ETIMEOUT at %s, transient', async (stallAt, phase) => {
    const h = await harness({ stallAt }, undefined, { timeouts: STALL });
    const started = Date.now();
    const error = await refusal(h.send());
    expect(Date.now() - started).toBeLessThan(STALL.reply * 4);
    expect(error.code).toBe('EDELIVERY');
    expect(error.recipients[0]).toMatchObject({
      code: 'ETIMEOUT',
      phase,
      transient: true,
      mayWhitelist: false,
    });
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('a server stalling during the TLS handshake → ETIMEOUT at handshake', async () => {
    const h = await harness({ afterStarttls: 'stall' }, undefined, { timeouts: { ...STALL, tls: 400 } });
    const error = await refusal(h.send());
    expect(error.recipients[0]).toMatchObject({ code: 'ETIMEOUT', phase: 'handshake', transient: true });
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it.each(['data', 'message'] as const)(
    'a server stalling at %s (after TLS) → ETIMEOUT at data',
    async (stallAt) => {
      const h = await harness({ stallAt }, undefined, { timeouts: STALL });
      const error = await refusal(h.send());
      expect(error.recipients[0]).toMatchObject({ code: 'ETIMEOUT', phase: 'data', transient: true });
      expect(sensitiveInPlaintext(h.mx)).toEqual([]);
      expect(h.mx.commands('tls')).toContain('DATA');
    },
  );
});
