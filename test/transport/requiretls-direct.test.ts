import { beforeEach, describe, expect, it } from 'vitest';
import type { TestMxOptions } from '../../src/testing/index.js';
import type { TlsDeliveryReport } from '../../src/transport/index.js';
import { createWhitelist, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import { HAS_REQUIRETLS } from '../support/nodemailer-features.js';
import { directHarnesses, FROM, refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const started = directHarnesses();
const harness = (mx: TestMxOptions, level: 'may' | 'encrypt', extra: Parameters<typeof started>[2] = {}) =>
  started({ requireTls: true, ...mx }, { outbound: { default: level } }, extra);

const requireTlsMail = {
  from: FROM,
  to: 'client@mandant.test',
  text: 'Vertraulich.',
  requireTLSExtensionEnabled: true,
};

describe('direct mode: a message with REQUIRETLS is delivered at verify at least (RFC 8689 §4.2.1)', () => {
  beforeEach(({ skip }) => skip(!HAS_REQUIRETLS, 'REQUIRETLS needs nodemailer 7.0.12'));

  it('an encrypt recipient with REQUIRETLS: delivered only over a verified certificate, reported as raised', async () => {
    const h = await harness({}, 'encrypt');
    const info = await h.transporter.sendMail(requireTlsMail);
    expect(info.tls.recipients[0]).toMatchObject({
      state: 'delivered',
      decision: { level: 'encrypt' },
      enforcedLevel: 'verify',
      tls: { certificateVerified: true },
    });
    expect(h.mx.log.find((e) => e.line.startsWith('MAIL FROM'))?.line).toMatch(/REQUIRETLS/);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('an encrypt recipient with REQUIRETLS and a self-signed certificate is refused (ECERTUNTRUSTED), not whitelistable', async () => {
    const h = await harness({ certificate: 'self-signed' }, 'encrypt');
    const error = await refusal(h.transporter.sendMail(requireTlsMail));
    expect(error.recipients[0]).toMatchObject({
      code: 'ECERTUNTRUSTED',
      level: 'verify',
      mayWhitelist: false,
    });
    expect(h.mx.messages).toEqual([]);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('a whitelisted (may) recipient with REQUIRETLS never goes in plaintext (ENOSTARTTLS)', async () => {
    const whitelist = createWhitelist(new MemoryWhitelistStore());
    await whitelist.add({
      direction: 'outbound',
      scope: 'domain',
      value: 'mandant.test',
      reason: 'Mandant wünscht unverschlüsselten Versand',
      approvedBy: 'admin@kanzlei.test',
    });
    const h = await harness({ starttls: false }, 'encrypt', { whitelist });
    const error = await refusal(h.transporter.sendMail(requireTlsMail));
    expect(error.recipients[0]).toMatchObject({ code: 'ENOSTARTTLS', level: 'verify', mayWhitelist: false });
    const report = (error as unknown as { report?: TlsDeliveryReport }).report;
    expect(report?.recipients[0]).toMatchObject({ decision: { level: 'may', source: 'whitelist' } });
    expect(h.mx.messages).toEqual([]);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('testing mode does not lower a REQUIRETLS message: a self-signed MX is still refused', async () => {
    const h = await harness({ certificate: 'self-signed' }, 'encrypt', { testing: true });
    const error = await refusal(h.transporter.sendMail(requireTlsMail));
    expect(error.recipients[0]?.code).toBe('ECERTUNTRUSTED');
    expect(h.mx.messages).toEqual([]);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });
});
