import { describe, expect, it } from 'vitest';
import { createWhitelist, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import { directHarnesses, refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const harness = directHarnesses();

async function whitelisted(value: string) {
  const whitelist = createWhitelist(new MemoryWhitelistStore());
  const entry = await whitelist.add({
    direction: 'outbound',
    scope: 'domain',
    value,
    reason: 'Mandant hat unverschlüsselten Versand schriftlich gewünscht',
    approvedBy: 'admin@kanzlei.test',
    consentRef: 'Akte 2026/17',
  });
  return { whitelist, entry };
}

describe('whitelisted and unlisted recipients (level may)', () => {
  it('delivers a whitelisted recipient in plaintext to a no-STARTTLS server and names the entry', async () => {
    const { whitelist, entry } = await whitelisted('mandant.test');
    const h = await harness({ starttls: false }, { outbound: { default: 'encrypt' } }, { whitelist });
    const info = await h.send();
    expect(info.accepted).toEqual(['client@mandant.test']);
    const report = info.tls.recipients[0];
    expect(report).toMatchObject({
      state: 'delivered',
      plaintext: true,
      decision: { level: 'may', requiredLevel: 'encrypt', source: 'whitelist' },
      whitelistEntry: { id: entry.id, value: 'mandant.test', approvedBy: 'admin@kanzlei.test' },
    });
    expect(report?.tls).toBeUndefined();
    expect(h.mx.messages[0]?.secure).toBe(false);
  });

  it('without the entry the same recipient is refused (the whitelist is what allowed plaintext)', async () => {
    const h = await harness({ starttls: false }, { outbound: { default: 'encrypt' } });
    const error = await refusal(h.send());
    expect(error.recipients[0]?.code).toBe('ENOSTARTTLS');
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('uses STARTTLS opportunistically at level may and reports the TLS achieved', async () => {
    const h = await harness({ certificate: 'self-signed' }, { outbound: { default: 'may' } });
    const info = await h.send();
    expect(info.tls.recipients[0]).toMatchObject({
      plaintext: false,
      decision: { level: 'may', source: 'default' },
    });
    expect(info.tls.recipients[0]?.tls?.certificateVerified).toBe(false);
    expect(info.tls.recipients[0]?.tlsFailure).toBeUndefined();
    expect(h.mx.messages[0]?.secure).toBe(true);
  });

  it('at level may, falls back to plaintext after a failed handshake and reports the lost TLS in tlsFailure', async () => {
    const h = await harness({ afterStarttls: 'garbage' }, { outbound: { default: 'may' } });
    const info = await h.send();
    expect(info.tls.recipients[0]?.plaintext).toBe(true);
    // what was lost is reported, outside testing mode too
    expect(info.tls.recipients[0]?.tlsFailure).toMatchObject({ code: 'EHANDSHAKE' });
    expect(info.tls.testing).toBe(false);
    expect(h.mx.connections).toBe(2);
  });
});

describe('testing mode (MTA-STS-style): deliver as may, report what enforce mode would refuse', () => {
  it.each([
    [{ starttls: false }, 'ENOSTARTTLS', true],
    [{ certificate: 'wrong-name' as const }, 'ECERTNAME', false],
    [
      {
        tls: { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.1' as const, ciphers: 'DEFAULT@SECLEVEL=0' },
      },
      'ETLSVERSION',
      true,
    ],
  ])('server %j: delivered, wouldRefuse %s', async (server, code, plaintext) => {
    const h = await harness(server, { outbound: { default: 'verify' } }, { testing: true });
    const info = await h.send();
    expect(info.tls.testing).toBe(true);
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(info.tls.recipients[0]).toMatchObject({ state: 'delivered', plaintext, wouldRefuse: { code } });
  });

  it('reports no wouldRefuse when the server meets the level', async () => {
    const h = await harness({}, { outbound: { default: 'verify' } }, { testing: true });
    const info = await h.send();
    expect(info.tls.recipients[0]?.wouldRefuse).toBeUndefined();
    expect(info.tls.recipients[0]?.tls?.certificateVerified).toBe(true);
  });
});
