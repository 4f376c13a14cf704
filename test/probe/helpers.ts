import { type ProberOptions, probeDomain } from '../../src/probe/index.js';
import {
  createTestNetwork,
  startTestMx,
  type TestMx,
  type TestMxOptions,
  type TestNetwork,
} from '../../src/testing/index.js';

/** Generous timeouts for well-behaved servers; short ones for tests that expect a timeout. */
export const NORMAL = { connect: 5000, greeting: 5000, reply: 5000, handshake: 5000 };
export const SHORT = { connect: 2000, greeting: 250, reply: 250, handshake: 250 };

export function optionsFor(network: TestNetwork, extra: ProberOptions = {}): ProberOptions {
  return {
    resolver: network.resolver,
    connect: network.connect,
    ca: network.ca.cert,
    ehloName: 'probe.kanzlei.test',
    timeouts: NORMAL,
    ...extra,
  };
}

/** One domain `mandant.test` with one MX `mx.mandant.test` behaving as `behaviour`. */
export async function singleMx(behaviour: TestMxOptions = {}): Promise<{ mx: TestMx; network: TestNetwork }> {
  const mx = await startTestMx({ name: 'mx.mandant.test', ...behaviour });
  const network = createTestNetwork({
    domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
    hosts: { 'mx.mandant.test': mx },
  });
  return { mx, network };
}

/** Probes `mandant.test` served by a single MX with `behaviour`; closes everything afterwards. */
export async function probeSingle(behaviour: TestMxOptions = {}, extra: ProberOptions = {}) {
  const { mx, network } = await singleMx(behaviour);
  try {
    const result = await probeDomain('mandant.test', optionsFor(network, extra));
    return { result, host: result.hosts[0]!, mx };
  } finally {
    await network.close();
  }
}
