import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { defaultTestCa, startTestMx } from '../../src/testing/index.js';
import { forceTls } from '../../src/transport/index.js';
import { createWhitelist, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import { HAS_REQUIRETLS } from '../support/nodemailer-features.js';
import { relayFixtures } from '../support/relay-harness.js';
import { FAST, FROM, sensitiveInPlaintext } from '../support/transport-harness.js';

const fixtures = relayFixtures();
afterEach(fixtures.cleanup);

async function whitelistFor(value: string) {
  const whitelist = createWhitelist(new MemoryWhitelistStore());
  const entry = await whitelist.add({
    direction: 'outbound',
    scope: 'domain',
    value,
    reason: 'Mandant hat unverschlüsselten Versand schriftlich gewünscht',
    approvedBy: 'admin@kanzlei.test',
  });
  return { whitelist, entry };
}

describe('relay mode: the whitelist option', () => {
  it('a whitelisted recipient needs no protection beyond the relay; the relay hop stays TLS', async ({
    skip,
  }) => {
    skip(!HAS_REQUIRETLS, 'REQUIRETLS needs nodemailer 7.0.12');
    const { whitelist, entry } = await whitelistFor('offen-erlaubt.test');
    const { mx, send } = await fixtures.relay(
      { requireTls: true },
      { recipientProtection: 'requiretls', whitelist },
    );
    const info = await send(['client@mandant.test', 'info@offen-erlaubt.test']);
    expect(info.accepted).toEqual(['client@mandant.test', 'info@offen-erlaubt.test']);
    expect(info.tls.recipients.map((r) => [r.recipient, r.relayProtection, r.decision.source])).toEqual([
      ['client@mandant.test', 'requiretls', 'default'],
      ['info@offen-erlaubt.test', 'none', 'whitelist'],
    ]);
    expect(info.tls.recipients[1]?.whitelistEntry?.id).toBe(entry.id);
    // Both transactions went to the relay over TLS; only the TLS-required one carried REQUIRETLS.
    const mails = mx.log.filter((e) => e.line.startsWith('MAIL FROM'));
    expect(mails.map((e) => [e.phase, /REQUIRETLS/.test(e.line)])).toEqual([
      ['tls', true],
      ['tls', false],
    ]);
    expect(mx.messages.every((m) => m.secure)).toBe(true);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('forceTls passes the whitelist on: a whitelisted recipient is not refused by check-mx', async () => {
    const { whitelist } = await whitelistFor('mandant.test');
    const relay = await startTestMx({ name: 'relay.kanzlei.test' });
    fixtures.servers.push(relay);
    const checked: string[] = [];
    const existing = nodemailer.createTransport({
      host: 'relay.kanzlei.test',
      port: 587,
      tls: { ca: defaultTestCa().cert },
    });
    const secured = forceTls(existing, {
      policy: createPolicy({ outbound: { default: 'encrypt' } }),
      whitelist,
      recipientProtection: 'check-mx',
      checkRecipient: async (domain) => {
        checked.push(domain);
        return { ok: false, code: 'ENOSTARTTLS', message: 'no STARTTLS' };
      },
      connect: () => ({ host: relay.host, port: relay.port }),
      timeouts: FAST,
    });
    fixtures.closers.push(
      () => secured.close(),
      () => existing.close(),
    );
    const info = await secured.sendMail({ from: FROM, to: 'client@mandant.test', text: 'x' });
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(info.tls.recipients[0]).toMatchObject({
      relayProtection: 'none',
      decision: { source: 'whitelist' },
    });
    expect(checked).toEqual([]);
    expect(relay.messages[0]?.secure).toBe(true);
  });
});
