// What a recipient publishes, and what enforcing it costs in direct mode: MTA-STS with a warm policy
// cache against the same transport without MTA-STS; a cold cache under many concurrent sends (how
// many TXT lookups and policy fetches per domain); DANE with a warm DNSSEC cache against the same
// transport without DANE (needs nsd, unbound and the ldns tools; skipped with a note otherwise).
// Both sides of each comparison send to the same smtp-server sinks in this one process.
import { createDnssecResolver } from '../src/dnssec/index.js';
import { createMtaStsResolver, type MtaStsResolver } from '../src/mta-sts/index.js';
import { createPolicy } from '../src/policy/policy.js';
import { createTestNetwork, startTestPolicyHost } from '../src/testing/index.js';
import { createDirectTransport, type DirectTransportOptions } from '../src/transport/index.js';
import { dnssecGate, startDnssecStack, tlsaValue } from '../test/support/dnssec-stack.js';
import { ca, compare, rate, sink, wrap } from './kit.js';

const MESSAGES = 1000;
const DOMAINS = 20;
const COLD_SENDS = 500;
// The effect measured is a few per cent, below the noise of one round on a shared machine: more rounds.
const ROUNDS = 11;
const policy = createPolicy({ outbound: { default: 'verify' } });
const POLICY = (domain: string) => `version: STSv1\nmode: enforce\nmx: mx.${domain}\nmax_age: 86400\n`;

/**
 * Sends `count` messages round-robin over the domains with a fresh direct transport: one connection
 * per MX host on both sides, so the comparison measures the lookups and checks, not how many
 * connections a burst opens (MTA-STS makes a domain's messages wait for one shared lookup and
 * arrive together, which with the default of 5 per host opens more connections than round-robin
 * arrival does).
 */
async function send(options: Omit<DirectTransportOptions, 'policy' | 'name'>, domains: readonly string[]) {
  const t = wrap(
    createDirectTransport({
      policy,
      name: 'mail.kanzlei.test',
      maxConnections: DOMAINS,
      maxConnectionsPerHost: 1,
      ...options,
    }),
  );
  const result = await rate(t, (i) => `m${i}@${domains[i % domains.length]}`, MESSAGES);
  t.close();
  return result;
}

async function mtaSts(): Promise<void> {
  const domains = Array.from({ length: DOMAINS }, (_, i) => `mandant${i}.test`);
  const sinks = await Promise.all(domains.map((d) => sink(`mx.${d}`)));
  const policyHost = await startTestPolicyHost({
    ca,
    policies: Object.fromEntries(domains.map((d) => [d, POLICY(d)])),
  });
  const network = createTestNetwork({
    ca,
    domains: Object.fromEntries(
      domains.flatMap((d) => [
        [d, { mx: [`mx.${d}`] }],
        [`_mta-sts.${d}`, { txt: ['v=STSv1; id=1'] }],
      ]),
    ),
    hosts: Object.fromEntries([
      ...domains.map((d, i) => [`mx.${d}`, { host: '127.0.0.1', port: sinks[i]!.port }]),
      ...domains.map((d) => [`mta-sts.${d}`, policyHost]),
    ]),
  });
  const resolverFor = (): MtaStsResolver =>
    createMtaStsResolver({ resolver: network.resolver, connect: network.connect, ca: ca.cert });
  const common = { resolver: network.resolver, connect: network.connect, ca: ca.cert };
  try {
    const warm = resolverFor();
    await compare(
      `direct, MTA-STS enforce, warm policy cache, ${MESSAGES} messages to ${DOMAINS} domains`,
      0.95,
      {
        bare: () => send({ ...common, mtaSts: false }, domains),
        ours: () => send({ ...common, mtaSts: warm }, domains),
      },
      { ours: 'with MTA-STS', bare: 'without' },
      ROUNDS,
    );
    // Cold: a new resolver, every send at once.
    const txtBefore = network.calls.filter((c) => c.method === 'resolveTxt').length;
    const fetchesBefore = policyHost.requests.length;
    const t = wrap(
      createDirectTransport({
        policy,
        name: 'mail.kanzlei.test',
        ...common,
        mtaSts: resolverFor(),
        maxConnections: DOMAINS,
      }),
    );
    await rate(t, (i) => `m${i}@${domains[i % DOMAINS]}`, COLD_SENDS);
    t.close();
    const txt = network.calls.filter((c) => c.method === 'resolveTxt').length - txtBefore;
    const fetches = policyHost.requests.length - fetchesBefore;
    console.log(
      `direct, MTA-STS cold cache, ${COLD_SENDS} concurrent sends to ${DOMAINS} domains: ` +
        `${(txt / DOMAINS).toFixed(2)} TXT lookups and ${(fetches / DOMAINS).toFixed(2)} policy fetches per domain ` +
        `(target 1 and 1) ${txt === DOMAINS && fetches === DOMAINS ? 'ok' : 'ABOVE TARGET'}`,
    );
  } finally {
    await network.close();
    await policyHost.close();
    await Promise.all(sinks.map((s) => s.close()));
  }
}

async function dane(): Promise<void> {
  const gate = dnssecGate();
  if (!gate.available) {
    console.log(`direct, DANE: skipped (${gate.reason})`);
    return;
  }
  const domains = Array.from({ length: DOMAINS }, (_, i) => `mandant${i}.dane.test`);
  const sinks = await Promise.all(domains.map((d) => sink(`mx.${d}`)));
  const stack = await startDnssecStack([
    {
      name: 'dane.test',
      signed: true,
      records: domains.flatMap((d, i) => [
        { name: d, type: 'MX' as const, value: `10 mx.${d}` },
        { name: `mx.${d}`, type: 'A' as const, value: '127.0.0.1' },
        { name: `_25._tcp.mx.${d}`, type: 'TLSA' as const, value: tlsaValue(sinks[i]!.cert, 3, 1, 1) },
      ]),
    },
  ]);
  const portOf = new Map(domains.map((d, i) => [`mx.${d}`, sinks[i]!.port]));
  const common = {
    resolver: {
      resolveMx: async (domain: string) => [{ exchange: `mx.${domain}`, priority: 10 }],
      resolve4: async () => ['127.0.0.1'],
      resolve6: async () => [],
    },
    connect: (host: string) => ({ host: '127.0.0.1', port: portOf.get(host) ?? 1 }),
    ca: ca.cert,
  };
  const dnssec = createDnssecResolver({ servers: [stack.resolver] });
  try {
    await compare(
      `direct, DANE-EE 3 1 1 on every MX, warm DNSSEC cache, ${MESSAGES} messages to ${DOMAINS} domains`,
      0.95,
      {
        bare: () => send(common, domains),
        ours: () => send({ ...common, dnssec }, domains),
      },
      { ours: 'with DANE', bare: 'without' },
      ROUNDS,
    );
    const { lookups, cacheHits, udpQueries, tcpQueries } = dnssec.stats();
    console.log(
      `direct, DANE: ${lookups} DNSSEC lookups in all rounds, ${cacheHits} from the cache, ` +
        `${udpQueries + tcpQueries} queries sent (4 per domain when cold: MX, A, AAAA, TLSA)`,
    );
  } finally {
    await stack.stop();
    await Promise.all(sinks.map((s) => s.close()));
  }
}

/** MTA-STS warm and cold, then DANE. */
export async function main(): Promise<void> {
  await mtaSts();
  await dane();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
