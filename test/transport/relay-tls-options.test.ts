import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { createTestCa, defaultTestCa, startTestMx, type TestMx } from '../../src/testing/index.js';
import { createRelayTransport, forceTls, type RelayTransportOptions } from '../../src/transport/index.js';
import { relayFixtures } from '../support/relay-harness.js';
import { FAST, FROM, refusal, sensitiveInPlaintext, transporterOf } from '../support/transport-harness.js';

const { servers, closers, cleanup } = relayFixtures();
afterEach(cleanup);

const policy = createPolicy({ outbound: { default: 'encrypt' } });

async function server(options: Parameters<typeof startTestMx>[0]): Promise<TestMx> {
  const mx = await startTestMx({ name: 'relay.kanzlei.test', ...options });
  servers.push(mx);
  return mx;
}

function relayTo(mx: TestMx, options: Partial<RelayTransportOptions>) {
  const transporter = transporterOf(
    createRelayTransport({
      policy,
      host: 'relay.kanzlei.test',
      port: 587,
      connect: () => ({ host: mx.host, port: mx.port }),
      recipientProtection: 'trust-relay',
      timeouts: FAST,
      ...options,
    }),
  );
  closers.push(() => transporter.close());
  return transporter;
}

const message = { from: FROM, to: 'client@mandant.test', text: 'Vertraulich.' };

describe('relay mode: tls options are allow-listed', () => {
  it('accepts cipher exclusions (!aNULL) and a maxVersion at the policy minimum or above', async () => {
    const mx = await server({});
    const tls = { ca: defaultTestCa().cert, ciphers: 'HIGH:!aNULL:!eNULL', maxVersion: 'TLSv1.2' as const };
    const info = await relayTo(mx, { tls }).sendMail(message);
    expect(info.tls.recipients[0]?.tls).toMatchObject({ protocol: 'TLSv1.2', certificateVerified: true });
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });
});

describe('relay mode: tls.ca replaces the root store (nodemailer semantics)', () => {
  it('a relay trusting only a private CA refuses a certificate from another CA (ECERTUNTRUSTED)', async () => {
    const mx = await server({ ca: createTestCa({ commonName: 'Other CA' }) });
    const error = await refusal(relayTo(mx, { tls: { ca: defaultTestCa().cert } }).sendMail(message));
    expect(error.recipients[0]).toMatchObject({ code: 'ECERTUNTRUSTED', phase: 'certificate' });
    expect(sensitiveInPlaintext(mx)).toEqual([]);
    expect(mx.messages).toEqual([]);
  });
});

describe('relay mode: servername and authMethod', () => {
  it('forceTls carries servername and authMethod: the certificate is checked against servername, AUTH LOGIN over TLS', async () => {
    const mx = await server({ authBeforeTls: true });
    const existing = nodemailer.createTransport({
      host: mx.host,
      port: mx.port,
      servername: 'relay.kanzlei.test',
      authMethod: 'LOGIN',
      auth: { user: 'kanzlei', pass: 'geheim' },
      tls: { ca: defaultTestCa().cert },
    } as never);
    const secured = forceTls(existing, { policy, recipientProtection: 'trust-relay', timeouts: FAST });
    closers.push(
      () => secured.close(),
      () => existing.close(),
    );
    const info = await secured.sendMail(message);
    expect(info.tls.recipients[0]?.tls).toMatchObject({ certificateVerified: true, mx: mx.host });
    expect(mx.auths.map((a) => [a.phase, a.mechanism])).toEqual([['tls', 'LOGIN']]);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('a servername the certificate does not carry is refused (ECERTNAME), nothing sent', async () => {
    const mx = await server({ authBeforeTls: true });
    const transporter = relayTo(mx, {
      servername: 'other.kanzlei.test',
      tls: { ca: defaultTestCa().cert },
      auth: { user: 'kanzlei', pass: 'geheim' },
    });
    const error = await refusal(transporter.sendMail(message));
    expect(error.recipients[0]?.code).toBe('ECERTNAME');
    expect(mx.auths).toEqual([]);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });
});

describe('relay mode: bsiProfile', () => {
  const ca = defaultTestCa();
  const strong = ca.issue({ names: ['relay.kanzlei.test'], keyBits: 3072 });

  it('offers only the BSI profile: a relay with AES128-SHA only fails the handshake, no AUTH or MAIL sent', async () => {
    const mx = await server({
      tls: { ...strong, maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA' },
      authBeforeTls: true,
    });
    const open = relayTo(mx, { tls: { ca: ca.cert }, auth: { user: 'kanzlei', pass: 'geheim' } });
    // Without the profile the same relay is reached, and the report says the session is outside it.
    const info = await open.sendMail(message);
    expect(info.tls.recipients[0]!.tls?.tierReasons.map((r) => r.code)).toContain('outside_bsi_profile');
    const strict = relayTo(mx, {
      tls: { ca: ca.cert },
      auth: { user: 'kanzlei', pass: 'geheim' },
      bsiProfile: true,
    });
    const error = await refusal(strict.sendMail(message));
    expect(error.recipients[0]).toMatchObject({
      code: 'EHANDSHAKE',
      phase: 'handshake',
      mayWhitelist: false,
    });
    expect(sensitiveInPlaintext(mx)).toEqual([]);
    expect(mx.messages).toHaveLength(1);
  });

  it('a relay inside the profile (TLS 1.2, ECDHE-RSA-AES256-GCM, RSA-3072) is reached with bsiProfile', async () => {
    const mx = await server({
      tls: { ...strong, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' },
    });
    const info = await relayTo(mx, { tls: { ca: ca.cert }, bsiProfile: true }).sendMail(message);
    expect(info.tls.recipients[0]).toMatchObject({ state: 'delivered' });
    expect(info.tls.recipients[0]!.tls?.tierReasons.map((r) => r.code)).not.toContain('outside_bsi_profile');
  });
});
