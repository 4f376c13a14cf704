import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import { createPolicy } from '../../src/policy/index.js';
import { createProber } from '../../src/probe/index.js';
import {
  createTestNetwork,
  defaultTestCa,
  startTestMx,
  type TestMx,
  type TestMxOptions,
} from '../../src/testing/index.js';
import {
  createProbeCheck,
  createRelayTransport,
  type RelayTransportOptions,
} from '../../src/transport/index.js';
import { startSmtpServerRelay } from '../support/smtp-server-relay.js';
import { FAST, FROM, refusal, sensitiveInPlaintext, transporterOf } from '../support/transport-harness.js';

const servers: TestMx[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const policy = createPolicy({
  outbound: { default: 'encrypt', rules: [{ match: 'offen.test', level: 'may' }] },
});

async function relay(server: TestMxOptions, options: Partial<RelayTransportOptions> = {}) {
  const mx = await startTestMx({ name: 'relay.kanzlei.test', authBeforeTls: true, ...server });
  servers.push(mx);
  const transporter = transporterOf(
    createRelayTransport({
      policy,
      host: 'relay.kanzlei.test',
      port: 587,
      connect: () => ({ host: mx.host, port: mx.port }),
      auth: { user: 'kanzlei', pass: 'geheim' },
      tls: { ca: defaultTestCa().cert },
      recipientProtection: 'trust-relay',
      timeouts: FAST,
      ...options,
    }),
  );
  closers.push(() => transporter.close());
  const send = (to: string[] = ['client@mandant.test']) =>
    transporter.sendMail({ from: FROM, to, subject: 'Mandat', text: 'Vertraulich.' });
  return { mx, transporter, send };
}

function refusedOption(options: Record<string, unknown>): unknown {
  try {
    createRelayTransport({
      policy,
      host: 'relay.kanzlei.test',
      recipientProtection: 'trust-relay',
      ...options,
    } as RelayTransportOptions);
  } catch (error) {
    return isForcedTlsError(error) ? { code: error.code, path: error.path } : error;
  }
  return 'accepted';
}

describe('relay mode: options that would bypass TLS are refused at construction', () => {
  it.each([
    [{ ignoreTLS: true }, 'EPOLICY', 'ignoreTLS'],
    [{ opportunisticTLS: true }, 'EPOLICY', 'opportunisticTLS'],
    [{ getSocket: () => undefined }, 'EPOLICY', 'getSocket'],
    [{ connection: {} }, 'EPOLICY', 'connection'],
    [{ socket: {} }, 'EPOLICY', 'socket'],
    [{ secured: true }, 'EPOLICY', 'secured'],
    [{ requireTLS: false }, 'EPOLICY', 'requireTLS'],
    [{ tls: { rejectUnauthorized: false } }, 'EPOLICY', 'tls.rejectUnauthorized'],
    [{ tls: { minVersion: 'TLSv1.1' } }, 'EPOLICY', 'tls.minVersion'],
    [{ tls: { maxVersion: 'TLSv1.1' } }, 'EPOLICY', 'tls.maxVersion'],
    [{ tls: { checkServerIdentity: () => undefined } }, 'EPOLICY', 'tls.checkServerIdentity'],
    [{ tls: { secureContext: {} } }, 'EPOLICY', 'tls.secureContext'],
    [{ tls: { secureProtocol: 'TLSv1_method' } }, 'EPOLICY', 'tls.secureProtocol'],
    [{ tls: { ciphers: 'eNULL:@SECLEVEL=0' } }, 'EPOLICY', 'tls.ciphers'],
    [{ tls: { ciphers: 'HIGH:aNULL' } }, 'EPOLICY', 'tls.ciphers'],
    [{ tls: { ciphers: 'DEFAULT:@SECLEVEL=0' } }, 'EPOLICY', 'tls.ciphers'],
    [{ tls: { pskCallback: () => null } }, 'EPOLICY', 'tls.pskCallback'],
    [{ tls: { socket: {} } }, 'EPOLICY', 'tls.socket'],
    [{ tls: { host: '203.0.113.9' } }, 'EPOLICY', 'tls.host'],
    [{ tls: { session: Buffer.alloc(1) } }, 'EPOLICY', 'tls.session'],
    [{ proxy: 'http://proxy.test:3128' }, 'EUNSUPPORTED', 'proxy'],
    [{ recipientProtection: undefined }, 'EPOLICY', 'recipientProtection'],
    [{ recipientProtection: 'check-mx' }, 'EPOLICY', 'checkRecipient'],
  ])('%j → %s naming %s', (options, code, path) => {
    expect(refusedOption(options)).toEqual({ code, path });
  });

  it('accepts tls.rejectUnauthorized:false only with allowUnverifiedRelay, and reports the relay unverified', async () => {
    const { mx, send } = await relay(
      { certificate: 'self-signed' },
      { tls: { rejectUnauthorized: false }, allowUnverifiedRelay: true },
    );
    const info = await send();
    expect(info.tls.recipients[0]?.tls?.certificateVerified).toBe(false);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });
});

describe('relay mode: every connection is TLS with a verified certificate, AUTH only after TLS', () => {
  it('delivers over STARTTLS, authenticates only over TLS, and says the onward hop was trusted to the relay', async () => {
    const { mx, send } = await relay({});
    const info = await send();
    expect(info.tls.mode).toBe('relay');
    expect(info.tls.recipients[0]).toMatchObject({
      state: 'delivered',
      relayProtection: 'trust-relay',
      mx: 'relay.kanzlei.test',
      tls: { certificateVerified: true },
    });
    expect(mx.auths.map((a) => a.phase)).toEqual(['tls']);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  /** A relay-mode transporter to a real smtp-server on implicit TLS (port 465 style). */
  async function implicitTlsRelay(pass: string, options: { rejectAuth?: boolean } = {}) {
    const server = await startSmtpServerRelay('relay.kanzlei.test', true, options);
    closers.push(() => void server.close());
    const transporter = transporterOf(
      createRelayTransport({
        policy,
        host: 'relay.kanzlei.test',
        port: 465,
        connect: () => ({ host: '127.0.0.1', port: server.port }),
        auth: { user: 'kanzlei', pass },
        tls: { ca: defaultTestCa().cert },
        recipientProtection: 'trust-relay',
        timeouts: FAST,
      }),
    );
    closers.push(() => transporter.close());
    return { server, transporter };
  }

  it('delivers over implicit TLS (port 465 style) to a real smtp-server, AUTH over TLS', async () => {
    const { server, transporter } = await implicitTlsRelay('geheim');
    const info = await transporter.sendMail({ from: FROM, to: 'client@mandant.test', text: 'Vertraulich.' });
    expect(info.tls.recipients[0]?.tls?.certificateVerified).toBe(true);
    expect(server.secureMessages).toEqual([true]);
    expect(server.secureAuths).toEqual([true]);
  });

  it('reports refused credentials as EREJECTED at auth (after TLS, not whitelistable)', async () => {
    const { server, transporter } = await implicitTlsRelay('falsch', { rejectAuth: true });
    const error = await refusal(transporter.sendMail({ from: FROM, to: 'client@mandant.test', text: 'x' }));
    expect(error.code).toBe('EDELIVERY');
    expect(error.recipients[0]).toMatchObject({
      code: 'EREJECTED',
      phase: 'auth',
      responseCode: 535,
      untrusted: false,
      mayWhitelist: false,
    });
    expect(server.secureAuths).toEqual([true]);
    expect(server.secureMessages).toEqual([]);
  });

  it.each([
    [{ starttls: false }, 'ENOSTARTTLS'],
    [{ certificate: 'self-signed' as const }, 'ECERTUNTRUSTED'],
    [{ certificate: 'wrong-name' as const }, 'ECERTNAME'],
    [{ starttlsResponse: '454 4.7.0 TLS not available\r\n' }, 'ESTARTTLSREFUSED'],
  ])('refuses a relay with %j (%s) and sends no AUTH, MAIL or RCPT in plaintext', async (server, code) => {
    const { mx, send } = await relay(server);
    const error = await refusal(send());
    expect(error.code).toBe('ETLSREQUIRED');
    expect(error.recipients[0]).toMatchObject({
      code,
      mx: 'relay.kanzlei.test',
      mxTried: ['relay.kanzlei.test'],
      // whitelisting the recipient would not help: the relay connection is always TLS
      mayWhitelist: false,
    });
    expect(sensitiveInPlaintext(mx)).toEqual([]);
    expect(mx.auths).toEqual([]);
  });

  it('verify() proves the relay connection (TLS + AUTH) and rejects a relay without STARTTLS', async () => {
    const good = await relay({});
    await expect(good.transporter.verify()).resolves.toBe(true);
    const bad = await relay({ starttls: false });
    await expect(bad.transporter.verify()).rejects.toMatchObject({ code: 'ENOSTARTTLS' });
    expect([...sensitiveInPlaintext(good.mx), ...sensitiveInPlaintext(bad.mx)]).toEqual([]);
  });
});

describe('relay mode: recipient protection beyond the relay', () => {
  it('requiretls: sends TLS-required recipients with REQUIRETLS when the relay offers it after STARTTLS', async () => {
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

  it('requiretls: refuses TLS-required recipients (EREQUIRETLS) when the relay lacks it; others still go', async () => {
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

  it('requiretls: a REQUIRETLS advertised only before TLS does not count', async () => {
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
