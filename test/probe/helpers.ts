import { expect } from 'vitest';
import { type ProberOptions, probeDomain } from '../../src/probe/index.js';
import {
  createTestNetwork,
  defaultTestCa,
  startTestMx,
  startTestPolicyHost,
  type TestCertificate,
  type TestMx,
  type TestMxOptions,
  type TestNetwork,
  type TestPolicyHost,
  type TestPolicyResponse,
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

/** The probe's promise, from the server's own log: only EHLO, STARTTLS and QUIT before TLS; never MAIL, RCPT, DATA or AUTH. */
export function expectProbeOnly(mx: TestMx): void {
  expect(mx.commands().filter((verb) => ['MAIL', 'RCPT', 'DATA', 'AUTH'].includes(verb))).toEqual([]);
  expect(mx.commandsBeforeTls().filter((verb) => !['EHLO', 'STARTTLS', 'QUIT'].includes(verb))).toEqual([]);
  expect(mx.messages).toEqual([]);
}

const strong = new Map<string, TestCertificate>();

/** A certificate of the default test CA with an RSA-3072 key (the BSI profile's minimum is 3000 bits). */
export function strongCertificate(name: string): TestCertificate {
  let cert = strong.get(name);
  if (cert === undefined) {
    cert = defaultTestCa().issue({ names: [name], keyBits: 3072 });
    strong.set(name, cert);
  }
  return cert;
}

/** A test world: one recipient domain, its MX hosts, and optionally an MTA-STS policy on a test policy host. */
export interface MtaStsWorld {
  readonly network: TestNetwork;
  readonly mx: Readonly<Record<string, TestMx>>;
  readonly policyHost: TestPolicyHost;
  close(): Promise<void>;
}

/**
 * `domain` with the MX hosts of `hosts` (in order), each a test MX with its options; with `policy`,
 * a `_mta-sts` TXT record `v=STSv1; id=<id>` and the policy served for `mta-sts.<domain>`.
 */
export async function mtaStsWorld(spec: {
  readonly domain?: string;
  readonly hosts: Readonly<Record<string, TestMxOptions>>;
  readonly policy?: string | TestPolicyResponse;
  readonly id?: string;
}): Promise<MtaStsWorld> {
  const domain = spec.domain ?? 'mandant.test';
  const mx: Record<string, TestMx> = {};
  for (const [name, options] of Object.entries(spec.hosts))
    mx[name] = await startTestMx({ name, ...options });
  const policyHost = await startTestPolicyHost({
    policies: spec.policy === undefined ? {} : { [domain]: spec.policy },
  });
  const network = createTestNetwork({
    domains: {
      [domain]: { mx: Object.keys(spec.hosts) },
      ...(spec.policy === undefined
        ? {}
        : { [`_mta-sts.${domain}`]: { txt: [`v=STSv1; id=${spec.id ?? '1'}`] } }),
    },
    hosts: { ...mx, [`mta-sts.${domain}`]: policyHost },
  });
  return {
    network,
    mx,
    policyHost,
    close: async () => {
      await network.close();
      await policyHost.close();
    },
  };
}
