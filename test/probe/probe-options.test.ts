import { afterEach, describe, expect, it } from 'vitest';
import { createProber, probeDomain } from '../../src/probe/index.js';
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
