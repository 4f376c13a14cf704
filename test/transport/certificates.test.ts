import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, type TestMxCertificatePreset } from '../../src/testing/index.js';
import { directHarnesses, refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const harness = directHarnesses();

const verify = { outbound: { default: 'verify' as const } };

describe('direct mode, level verify: the MX certificate must be trusted and name the MX host', () => {
  it('delivers to a valid certificate and reports it verified, with subject, issuer, expiry and fingerprint', async () => {
    const h = await harness({ certificate: 'valid' }, verify);
    const info = await h.send();
    const tls = info.tls.recipients[0]?.tls;
    expect(tls).toMatchObject({
      certificateVerified: true,
      subject: 'mx.mandant.test',
      mx: 'mx.mandant.test',
    });
    expect(tls?.fingerprint256).toBe(h.mx.fingerprint256);
    expect(tls?.issuer).toBeTruthy();
    expect(tls?.validTo).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(h.mx.messages[0]?.servername).toBe('mx.mandant.test');
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it.each([
    ['expired', 'ECERTEXPIRED'],
    ['wrong-name', 'ECERTNAME'],
    ['self-signed', 'ECERTUNTRUSTED'],
    ['unknown-ca', 'ECERTUNTRUSTED'],
  ] as const)(
    'refuses a %s certificate with %s at certificate, permanent, no plaintext',
    async (certificate, code) => {
      const h = await harness({ certificate: certificate as TestMxCertificatePreset }, verify);
      const error = await refusal(h.send());
      expect(error.code).toBe('ETLSREQUIRED');
      expect(error.recipients[0]).toMatchObject({
        code,
        phase: 'certificate',
        transient: false,
        mayWhitelist: true,
      });
      expect(sensitiveInPlaintext(h.mx)).toEqual([]);
      expect(h.mx.messages).toEqual([]);
    },
  );
});

describe('direct mode, level encrypt: any certificate is accepted, and the report says it was not verified', () => {
  it.each(['expired', 'wrong-name', 'self-signed', 'unknown-ca'] as const)(
    'delivers over TLS to a %s certificate with certificateVerified false',
    async (certificate) => {
      const h = await harness({ certificate });
      const info = await h.send();
      expect(info.accepted).toEqual(['client@mandant.test']);
      expect(info.tls.recipients[0]?.tls?.certificateVerified).toBe(false);
      expect(h.mx.messages[0]?.secure).toBe(true);
      expect(sensitiveInPlaintext(h.mx)).toEqual([]);
    },
  );
});

describe('direct mode, level fingerprint: the certificate is pinned', () => {
  const pinned = (fingerprint: string) => ({
    outbound: {
      default: 'encrypt' as const,
      rules: [{ match: 'mandant.test', level: 'fingerprint' as const, fingerprints: [fingerprint] }],
    },
  });

  it('refuses a certificate whose fingerprint is not pinned (EFINGERPRINT), no MAIL sent', async () => {
    const h = await harness({}, pinned(`AA${':AA'.repeat(31)}`));
    const error = await refusal(h.send());
    expect(error.recipients[0]).toMatchObject({
      code: 'EFINGERPRINT',
      phase: 'certificate',
      level: 'fingerprint',
    });
    expect(h.mx.commands()).not.toContain('MAIL');
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('delivers to a self-signed certificate whose fingerprint is pinned', async () => {
    const own = createSelfSignedCertificate({ names: ['mx.mandant.test'] });
    const fingerprint = own.fingerprint256;
    const h = await harness({ tls: { key: own.key, cert: own.cert } }, pinned(fingerprint));
    const info = await h.send();
    expect(info.tls.recipients[0]?.tls?.certificateVerified).toBe(false);
    expect(info.tls.recipients[0]?.tls?.fingerprint256).toBe(fingerprint);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });
});
