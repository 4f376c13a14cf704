import { afterEach, describe, expect, it } from 'vitest';
import { createProber, probeDomain } from '../../src/probe/index.js';
import { profileRefused } from '../../src/probe/tls-offer.js';
import { createTestNetwork, startTestMx, type TestNetwork } from '../../src/testing/index.js';
import { optionsFor } from './helpers.js';

let network: TestNetwork | undefined;
afterEach(async () => {
  await network?.close();
  network = undefined;
});

describe('probe options for MTA-STS, DANE and the BSI profile', () => {
  it('refuses what is not a resolver or a boolean with EPOLICY naming the field, before any connection', () => {
    const net = createTestNetwork();
    network = net;
    const bad: [Record<string, unknown>, string][] = [
      [{ mtaSts: true }, 'mtaSts'],
      [{ mtaSts: { resolve: () => undefined } }, 'mtaSts'],
      [{ dnssec: {} }, 'dnssec'],
      [{ dnssec: 'unbound' }, 'dnssec'],
      [{ bsiProfile: 'yes' }, 'bsiProfile'],
    ];
    for (const [extra, path] of bad) {
      expect(() => createProber({ ...optionsFor(net), ...extra })).toThrow(
        expect.objectContaining({ code: 'EPOLICY', path }),
      );
    }
    expect(net.calls).toEqual([]);
  });

  it('a resolver without resolveTxt: MTA-STS is not looked up, and the result says why', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test' });
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': mx },
    });
    const { resolveTxt: _none, ...withoutTxt } = network.resolver;
    const result = await probeDomain('mandant.test', optionsFor(network, { resolver: withoutTxt }));
    expect(result.mtaSts).toEqual({ status: 'off', off: 'no_txt_lookup', matching: [], notMatching: [] });
    expect(result.dane).toEqual({ status: 'off' });
    expect(result.hosts[0]?.status).toBe('starttls_ok');
  });
});

describe('when a refused profile-only handshake is retried with Node defaults', () => {
  it.each([
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', true],
    ['ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY', true],
    ['ERR_SSL_NO_SHARED_CIPHER', true],
    ['ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM', true],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', false], // any offer fails the same way
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', false], // garbage instead of a ServerHello
    ['ECONNRESET', false],
    [undefined, false],
  ])('%s → %s', (code, retried) => {
    expect(profileRefused(code)).toBe(retried);
  });
});
