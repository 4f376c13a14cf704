import {
  createMtaStsResolver,
  type MtaStsResolver,
  type MtaStsResolverOptions,
} from '../../src/mta-sts/index.js';
import {
  createTestNetwork,
  startTestPolicyHost,
  type TestNetwork,
  type TestPolicyHost,
  type TestPolicyResponse,
} from '../../src/testing/index.js';

export const START = new Date('2026-01-15T09:30:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A policy host, a fake DNS and a settable clock; resolvers created on them; counters. */
export interface ResolverHarness {
  readonly policyHost: TestPolicyHost;
  readonly network: TestNetwork;
  /** The current time of the injected clock. */
  now(): Date;
  advance(ms: number): void;
  /** Publishes `_mta-sts.<domain>` TXT `v=STSv1; id=<id>` and the policy answer. */
  publish(domain: string, id: string, answer: string | TestPolicyResponse): void;
  /** TXT lookups of `_mta-sts.<domain>` so far. */
  txtLookups(domain: string): number;
  /** Policy requests that reached `mta-sts.<domain>` so far. */
  fetches(domain: string): number;
  resolver(options?: MtaStsResolverOptions): MtaStsResolver;
  close(): Promise<void>;
}

export async function startResolverHarness(): Promise<ResolverHarness> {
  const policyHost = await startTestPolicyHost();
  const network = createTestNetwork();
  let now = START.getTime();
  const resolvers: MtaStsResolver[] = [];
  return {
    policyHost,
    network,
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    publish(domain, id, answer) {
      network.setDomain(`_mta-sts.${domain}`, { txt: [`v=STSv1; id=${id}`] });
      network.setHost(`mta-sts.${domain}`, policyHost);
      policyHost.setPolicy(domain, answer);
    },
    txtLookups: (domain) =>
      network.calls.filter((c) => c.method === 'resolveTxt' && c.name === `_mta-sts.${domain}`).length,
    fetches: (domain) => policyHost.requestsFor(domain).length,
    resolver(options = {}) {
      const resolver = createMtaStsResolver({
        resolver: network.resolver,
        connect: network.connect,
        ca: policyHost.ca.cert,
        clock: () => new Date(now),
        fetchTimeoutMs: 2_000,
        ...options,
      });
      resolvers.push(resolver);
      return resolver;
    },
    async close() {
      await Promise.all(resolvers.map((r) => r.close()));
      await policyHost.close();
    },
  };
}
