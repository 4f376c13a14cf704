// Throughput of the TLS-enforcing transports against bare nodemailer with the same TLS settings and
// pool, to smtp-server on 127.0.0.1 (STARTTLS, certificate from a test CA, verified on both sides).
// The two sides of each comparison run interleaved, round after round, in this one process; the
// ratios (median of the rounds) are the figures to read.
import nodemailer from 'nodemailer';
import { createPolicy } from '../src/policy/policy.js';
import { createDirectTransport, createRelayTransport } from '../src/transport/index.js';
import { ca, compare, median, rate, type Sink, sink, wrap } from './kit.js';

const RELAY_MESSAGES = 1000;
const DIRECT_MESSAGES = 1000;
const DOMAINS = 20;

/** Relay mode vs bare nodemailer, both pooled (5 connections), STARTTLS with a verified certificate. */
async function relay(): Promise<void> {
  const server = await sink('relay.bench.test');
  const policy = createPolicy({ outbound: { default: 'verify' } });
  try {
    await compare(`relay, ${RELAY_MESSAGES} messages, pool of 5`, 0.95, {
      bare: async () => {
        const t = nodemailer.createTransport({
          pool: true,
          maxConnections: 5,
          host: '127.0.0.1',
          port: server.port,
          requireTLS: true,
          tls: { ca: ca.cert, servername: 'relay.bench.test', minVersion: 'TLSv1.2' },
        });
        const result = await rate(t, () => 'mandant@mandant.test', RELAY_MESSAGES);
        t.close();
        return result;
      },
      ours: async () => {
        const t = wrap(
          createRelayTransport({
            policy,
            host: 'relay.bench.test',
            port: server.port,
            connect: (_host, port) => ({ host: '127.0.0.1', port }),
            tls: { ca: ca.cert },
            recipientProtection: 'trust-relay',
            pool: true,
            maxConnections: 5,
          }),
        );
        const result = await rate(t, () => 'mandant@mandant.test', RELAY_MESSAGES);
        t.close();
        return result;
      },
    });
  } finally {
    await server.close();
  }
}

/** Direct mode to 20 MX domains vs bare nodemailer pooled to one host, 20 connections each. */
async function direct(): Promise<void> {
  const sinks = await Promise.all(Array.from({ length: DOMAINS }, (_, i) => sink(`mx.mandant${i}.test`)));
  const one = await sink('mx.single.test');
  const portOf = new Map(sinks.map((s, i) => [`mx.mandant${i}.test`, s.port]));
  const resolver = {
    resolveMx: async (domain: string) => [{ exchange: `mx.${domain}`, priority: 10 }],
    resolve4: async () => ['127.0.0.1'],
    resolve6: async () => [],
  };
  const policy = createPolicy({ outbound: { default: 'verify' } });
  const opened = () => sinks.reduce((n, s) => n + s.connections(), 0);
  const reuse: number[] = [];
  try {
    await compare(`direct, ${DIRECT_MESSAGES} messages to ${DOMAINS} MX domains, 20 connections`, 0.8, {
      bare: async () => {
        const t = nodemailer.createTransport({
          pool: true,
          maxConnections: DOMAINS,
          host: '127.0.0.1',
          port: one.port,
          requireTLS: true,
          tls: { ca: ca.cert, servername: 'mx.single.test', minVersion: 'TLSv1.2' },
        });
        const result = await rate(t, (i) => `m${i}@single.test`, DIRECT_MESSAGES);
        t.close();
        return result;
      },
      ours: async () => {
        const t = wrap(
          createDirectTransport({
            policy,
            name: 'mail.kanzlei.test',
            resolver,
            connect: (host) => ({ host: '127.0.0.1', port: portOf.get(host) ?? 1 }),
            ca: ca.cert,
            maxConnections: DOMAINS,
          }),
        );
        const before = opened();
        const result = await rate(t, (i) => `m${i}@mandant${i % DOMAINS}.test`, DIRECT_MESSAGES);
        // Each message is one transaction here (one recipient): reuse = 1 − connections / transactions.
        reuse.push(1 - (opened() - before) / DIRECT_MESSAGES);
        t.close();
        return result;
      },
    });
    console.log(
      `direct: connection reuse ${(median(reuse) * 100).toFixed(1)} % of transactions on a pooled connection ` +
        `(median of ${reuse.length} runs; 1 − connections / transactions)`,
    );
    await reuseUnderContention(sinks, portOf, resolver, policy);
  } finally {
    await Promise.all([...sinks, one].map((s) => s.close()));
  }
}

/**
 * The case where reuse used to collapse: fewer connections than destinations in flight (10 of the
 * 20 domains, the default pool of 10 connections, every message sent at once).
 */
async function reuseUnderContention(
  sinks: readonly Sink[],
  portOf: ReadonlyMap<string, number>,
  resolver: Parameters<typeof createDirectTransport>[0]['resolver'],
  policy: ReturnType<typeof createPolicy>,
): Promise<void> {
  const messages = 2000;
  const t = wrap(
    createDirectTransport({
      policy,
      name: 'mail.kanzlei.test',
      ...(resolver ? { resolver } : {}),
      connect: (host) => ({ host: '127.0.0.1', port: portOf.get(host) ?? 1 }),
      ca: ca.cert,
    }),
  );
  const before = sinks.reduce((n, s) => n + s.connections(), 0);
  const perSecond = await rate(t, (i) => `m${i}@mandant${i % 10}.test`, messages);
  const connections = sinks.reduce((n, s) => n + s.connections(), 0) - before;
  t.close();
  console.log(
    `direct, ${messages} messages to 10 domains, default pool (10 connections): ${perSecond.toFixed(0)} msg/s, ` +
      `${connections} connections, reuse ${((1 - connections / messages) * 100).toFixed(1)} %`,
  );
}

/** Runs both comparisons and prints msg/s and ratios. */
export async function main(): Promise<void> {
  await relay();
  await direct();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
