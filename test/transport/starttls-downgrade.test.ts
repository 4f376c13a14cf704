import { describe, expect, it } from 'vitest';
import { directHarnesses, refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const harness = directHarnesses();

describe('direct mode, level encrypt: STARTTLS downgrades are refused, never sent in plaintext', () => {
  it('refuses a server that offers no STARTTLS (ENOSTARTTLS, untrusted 502, mayWhitelist)', async () => {
    const h = await harness({ starttls: false });
    const error = await refusal(h.send());
    expect(error.code).toBe('ETLSREQUIRED');
    const [r] = error.recipients;
    expect(r).toMatchObject({
      recipient: 'client@mandant.test',
      domain: 'mandant.test',
      code: 'ENOSTARTTLS',
      phase: 'starttls',
      level: 'encrypt',
      mx: 'mx.mandant.test',
      mxTried: ['mx.mandant.test'],
      command: 'STARTTLS',
      responseCode: 502,
      untrusted: true,
      transient: false,
      mayWhitelist: true,
      whitelistRequest: { direction: 'outbound', scope: 'domain', value: 'mandant.test' },
    });
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it.each([
    ['454 4.7.0 TLS not available due to temporary reason\r\n', 454, true],
    ['502 5.5.1 Command not implemented\r\n', 502, false],
    ['500 5.5.1 Command unrecognized\r\n', 500, false],
    ['354 do something else\r\n', 354, true],
    ['421 4.3.2 Shutting down\r\n', 421, true],
  ])(
    'refuses STARTTLS answered %j (ESTARTTLSREFUSED, no plaintext MAIL/RCPT/DATA/AUTH)',
    async (reply, code, transient) => {
      const h = await harness({ starttlsResponse: reply });
      const error = await refusal(h.send());
      expect(error.code).toBe('ETLSREQUIRED');
      expect(error.recipients[0]).toMatchObject({
        code: 'ESTARTTLSREFUSED',
        phase: 'starttls',
        responseCode: code,
        untrusted: true,
        transient,
        mayWhitelist: true,
      });
      expect(sensitiveInPlaintext(h.mx)).toEqual([]);
    },
  );

  it('sends STARTTLS even when an attacker stripped it from EHLO, and delivers over TLS', async () => {
    const h = await harness({ advertiseStarttls: false });
    const info = await h.send();
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(info.tls.recipients[0]?.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(h.mx.messages[0]?.secure).toBe(true);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('refuses when EHLO is refused and never falls back to HELO (ENOSTARTTLS at ehlo)', async () => {
    const h = await harness({ ehloResponse: '502 5.5.2 Error: command not recognized\r\n' });
    const error = await refusal(h.send());
    expect(error.recipients[0]).toMatchObject({ code: 'ENOSTARTTLS', phase: 'ehlo', untrusted: true });
    expect(h.mx.commands()).not.toContain('HELO');
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('reports a connection dropped right after the 220 greeting as ECONNECT (transient, no MAIL)', async () => {
    const h = await harness({ dropAfterGreeting: true });
    const error = await refusal(h.send());
    expect(error.code).toBe('EDELIVERY');
    expect(error.recipients[0]).toMatchObject({ code: 'ECONNECT', transient: true, mayWhitelist: false });
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });
});
