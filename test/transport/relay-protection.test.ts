import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { createProber } from '../../src/probe/index.js';
import { createTestNetwork, startTestMx } from '../../src/testing/index.js';
import { createProbeCheck, createRelayTransport } from '../../src/transport/index.js';
import { HAS_REQUIRETLS } from '../support/nodemailer-features.js';
import { relayPolicy as policy, relayFixtures } from '../support/relay-harness.js';
import { refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const fixtures = relayFixtures();
const { servers } = fixtures;
const relay = fixtures.relay;
afterEach(fixtures.cleanup);

describe('relay mode: recipient protection beyond the relay', () => {
  it('refuses a recipient whose rule needs TLS 1.3 over a TLS 1.2 relay session (ETLSVERSION); the others go', async () => {
    const strict = createPolicy({
      outbound: {
        default: 'encrypt',
        rules: [{ match: 'finanzamt.test', level: 'encrypt', minVersion: 'TLSv1.3' }],
      },
    });
    const { mx, send } = await relay({ tls: { maxVersion: 'TLSv1.2' } }, { policy: strict });
    const info = await send(['client@mandant.test', 'stelle@finanzamt.test']);
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(info.tls.recipients[1]).toMatchObject({
      state: 'refused',
      failure: { code: 'ETLSVERSION', phase: 'handshake', mx: 'relay.kanzlei.test', mayWhitelist: true },
    });
    expect(info.tls.recipients[1]?.failure?.message).toMatch(/TLSv1\.2 is below TLSv1\.3/);
    expect(mx.messages.map((m) => m.to)).toEqual([['client@mandant.test']]);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('requiretls: sends TLS-required recipients with REQUIRETLS when the relay offers it after STARTTLS', async ({
    skip,
  }) => {
    skip(!HAS_REQUIRETLS, 'REQUIRETLS needs nodemailer 7.0.12');
    const { mx, send } = await relay({ requireTls: true }, { recipientProtection: 'requiretls' });
    const info = await send(['client@mandant.test', 'info@offen.test']);
    expect(info.accepted).toEqual(['client@mandant.test', 'info@offen.test']);
    const mails = mx.log.filter((e) => e.line.startsWith('MAIL FROM'));
    expect(mails.map((e) => [e.phase, /REQUIRETLS/.test(e.line)])).toEqual([
      ['tls', true],
      ['tls', false],
    ]);
    expect(info.tls.recipients.map((r) => r.relayProtection)).toEqual(['requiretls', 'none']);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('requiretls: refuses TLS-required recipients (EREQUIRETLS) when the relay lacks it; others still go', async ({
    skip,
  }) => {
    skip(!HAS_REQUIRETLS, 'REQUIRETLS needs nodemailer 7.0.12');
    const { mx, send } = await relay({ requireTls: false }, { recipientProtection: 'requiretls' });
    const info = await send(['client@mandant.test', 'info@offen.test']);
    expect(info.accepted).toEqual(['info@offen.test']);
    expect(info.tls.recipients[0]).toMatchObject({
      state: 'refused',
      relayProtection: 'requiretls',
      failure: { code: 'EREQUIRETLS', phase: 'mail', mayWhitelist: true },
    });
    expect(mx.messages.map((m) => m.to)).toEqual([['info@offen.test']]);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('requiretls: a REQUIRETLS advertised only before TLS does not count', async ({ skip }) => {
    skip(!HAS_REQUIRETLS, 'REQUIRETLS needs nodemailer 7.0.12');
    const { mx, send } = await relay(
      { capabilities: ['PIPELINING', 'REQUIRETLS', 'STARTTLS'], requireTls: false },
      { recipientProtection: 'requiretls' },
    );
    const error = await refusal(send());
    expect(error.recipients[0]?.code).toBe('EREQUIRETLS');
    expect(mx.commands()).not.toContain('MAIL');
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('check-mx: refuses recipients whose MX fails the check (ERECIPIENTTLS), delivers the rest', async () => {
    const checked: string[] = [];
    const { mx, send } = await relay(
      {},
      {
        recipientProtection: 'check-mx',
        checkRecipient: async (domain, requirement) => {
          checked.push(`${domain}:${requirement.level}`);
          return domain === 'klartext.test'
            ? { ok: false, code: 'ENOSTARTTLS', mx: 'mx.klartext.test', message: 'no STARTTLS' }
            : { ok: true };
        },
      },
    );
    const info = await send(['a@mandant.test', 'b@klartext.test', 'c@offen.test']);
    expect(checked.sort()).toEqual(['klartext.test:encrypt', 'mandant.test:encrypt']);
    expect(info.accepted).toEqual(['a@mandant.test', 'c@offen.test']);
    expect(info.tls.recipients.map((r) => [r.state, r.relayProtection, r.failure?.code])).toEqual([
      ['delivered', 'check-mx', undefined],
      ['refused', 'check-mx', 'ERECIPIENTTLS'],
      ['delivered', 'none', undefined],
    ]);
    expect(info.tls.recipients[1]?.failure).toMatchObject({ phase: 'relay-check', mx: 'mx.klartext.test' });
    expect(mx.messages.flatMap((m) => m.to)).not.toContain('b@klartext.test');
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });
});

describe('relay mode: check-mx with the real prober', () => {
  it('probes each TLS-required domain once (cached) and refuses the one whose MX lacks STARTTLS', async () => {
    const good = await startTestMx({ name: 'mx.mandant.test' });
    const plain = await startTestMx({ name: 'mx.klartext.test', starttls: false });
    servers.push(good, plain);
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] }, 'klartext.test': { mx: ['mx.klartext.test'] } },
      hosts: { 'mx.mandant.test': good, 'mx.klartext.test': plain },
    });
    const prober = createProber({
      resolver: network.resolver,
      connect: network.connect,
      ca: network.ca.cert,
      ehloName: 'client.kanzlei.test',
    });
    const { send } = await relay(
      {},
      { recipientProtection: 'check-mx', checkRecipient: createProbeCheck(prober) },
    );
    const info = await send(['a@mandant.test', 'b@klartext.test']);
    await send(['a@mandant.test']);
    expect(info.accepted).toEqual(['a@mandant.test']);
    expect(info.tls.recipients[1]?.failure).toMatchObject({
      code: 'ERECIPIENTTLS',
      phase: 'relay-check',
      mx: 'mx.klartext.test',
      mayWhitelist: true,
    });
    expect(good.connections).toBe(1);
    expect(sensitiveInPlaintext(plain)).toEqual([]);
  });
});

describe('relay mode: a nodemailer transporter pooled like the original', () => {
  it('pool: reuses one checked connection for several messages', async () => {
    const { mx, send } = await relay({}, { pool: true, maxConnections: 1 });
    await send();
    await send();
    await send();
    expect(mx.messages).toHaveLength(3);
    expect(mx.connections).toBe(1);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('can be created with nodemailer.createTransport directly', () => {
    const transporter = nodemailer.createTransport(
      createRelayTransport({
        policy,
        host: 'relay.kanzlei.test',
        recipientProtection: 'trust-relay',
      }) as never,
    );
    expect(transporter.transporter.name).toBe('forced-tls-relay');
    transporter.close();
  });
});
