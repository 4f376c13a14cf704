import nodemailer, { type Transporter } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import { createPolicy } from '../../src/policy/index.js';
import { defaultTestCa, startTestMx, type TestMx } from '../../src/testing/index.js';
import { forceTls } from '../../src/transport/index.js';
import { relayFixtures } from '../support/relay-harness.js';
import { FAST, FROM, refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const { servers, closers, cleanup } = relayFixtures();
afterEach(cleanup);

const policy = createPolicy({ outbound: { default: 'encrypt' } });

async function relayServer(options: Parameters<typeof startTestMx>[0] = {}): Promise<TestMx> {
  const mx = await startTestMx({ name: 'relay.kanzlei.test', authBeforeTls: true, ...options });
  servers.push(mx);
  return mx;
}

function wrap(existing: Transporter, mx: TestMx) {
  const secured = forceTls(existing, {
    policy,
    recipientProtection: 'trust-relay',
    connect: () => ({ host: mx.host, port: mx.port }),
    timeouts: FAST,
  });
  closers.push(
    () => secured.close(),
    () => existing.close(),
  );
  return secured;
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return isForcedTlsError(error) ? { code: error.code, path: error.path } : error;
  }
  return 'accepted';
}

describe('forceTls: wrapping an existing nodemailer transporter', () => {
  it('keeps host, port and auth; the server sees AUTH only over TLS', async () => {
    const mx = await relayServer();
    const existing = nodemailer.createTransport({
      host: 'relay.kanzlei.test',
      port: 587,
      auth: { user: 'kanzlei', pass: 'geheim' },
      tls: { ca: defaultTestCa().cert },
    });
    const info = await wrap(existing, mx).sendMail({
      from: FROM,
      to: 'client@mandant.test',
      text: 'Vertraulich.',
    });
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(info.tls.recipients[0]).toMatchObject({
      mx: 'relay.kanzlei.test',
      relayProtection: 'trust-relay',
    });
    expect(mx.auths.map((a) => [a.phase, a.mechanism])).toEqual([['tls', 'PLAIN']]);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('keeps the pool setting of a pooled transporter (one connection for several messages)', async () => {
    const mx = await relayServer();
    const existing = nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      host: 'relay.kanzlei.test',
      port: 587,
      tls: { ca: defaultTestCa().cert },
    });
    const secured = wrap(existing, mx);
    for (let i = 0; i < 3; i++)
      await secured.sendMail({ from: FROM, to: 'client@mandant.test', text: `${i}` });
    expect(mx.messages).toHaveLength(3);
    expect(mx.connections).toBe(1);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it('forces STARTTLS on a transporter that would have sent in plaintext (no STARTTLS → refused)', async () => {
    const mx = await relayServer({ starttls: false });
    const existing = nodemailer.createTransport({
      host: 'relay.kanzlei.test',
      port: 587,
      tls: { ca: defaultTestCa().cert },
    });
    const error = await refusal(
      wrap(existing, mx).sendMail({ from: FROM, to: 'client@mandant.test', text: 'x' }),
    );
    expect(error.recipients[0]?.code).toBe('ENOSTARTTLS');
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });

  it.each([
    [{ sendmail: true }, 'EUNSUPPORTED', 'transporter'],
    [{ streamTransport: true }, 'EUNSUPPORTED', 'transporter'],
    [{ jsonTransport: true }, 'EUNSUPPORTED', 'transporter'],
    [{ host: 'relay.kanzlei.test', ignoreTLS: true }, 'EPOLICY', 'ignoreTLS'],
    [{ host: 'relay.kanzlei.test', opportunisticTLS: true }, 'EPOLICY', 'opportunisticTLS'],
    [{ host: 'relay.kanzlei.test', getSocket: () => undefined }, 'EPOLICY', 'getSocket'],
    [{ host: 'relay.kanzlei.test', tls: { rejectUnauthorized: false } }, 'EPOLICY', 'tls.rejectUnauthorized'],
    [
      { host: 'relay.kanzlei.test', tls: { checkServerIdentity: () => undefined } },
      'EPOLICY',
      'tls.checkServerIdentity',
    ],
    [{ host: 'relay.kanzlei.test', tls: { secureContext: {} } }, 'EPOLICY', 'tls.secureContext'],
    [{ host: 'relay.kanzlei.test', tls: { ciphers: 'eNULL:@SECLEVEL=0' } }, 'EPOLICY', 'tls.ciphers'],
    [{ host: 'relay.kanzlei.test', tls: { maxVersion: 'TLSv1.1' } }, 'EPOLICY', 'tls.maxVersion'],
    [{ host: 'relay.kanzlei.test', tls: { pskCallback: () => null } }, 'EPOLICY', 'tls.pskCallback'],
  ])('refuses %j with %s naming %s', (options, code, path) => {
    const existing = nodemailer.createTransport(options as never);
    closers.push(() => existing.close());
    expect(errorOf(() => forceTls(existing, { policy, recipientProtection: 'trust-relay' }))).toEqual({
      code,
      path,
    });
  });

  it('refuses a missing policy with EPOLICY naming policy (not a TypeError)', () => {
    const existing = nodemailer.createTransport({ host: 'relay.kanzlei.test' });
    closers.push(() => existing.close());
    const options = { recipientProtection: 'trust-relay' } as unknown as Parameters<typeof forceTls>[1];
    expect(errorOf(() => forceTls(existing, options))).toEqual({ code: 'EPOLICY', path: 'policy' });
  });
});
