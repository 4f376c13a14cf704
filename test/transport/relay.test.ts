import { afterEach, describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import { defaultTestCa } from '../../src/testing/index.js';
import { createRelayTransport, type RelayTransportOptions } from '../../src/transport/index.js';
import { relayPolicy as policy, relayFixtures } from '../support/relay-harness.js';
import { startSmtpServerRelay } from '../support/smtp-server-relay.js';
import { FAST, FROM, refusal, sensitiveInPlaintext, transporterOf } from '../support/transport-harness.js';

const fixtures = relayFixtures();
const { closers } = fixtures;
const relay = fixtures.relay;
afterEach(fixtures.cleanup);

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
