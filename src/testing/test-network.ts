import { createServer } from 'node:net';
import type { ConnectTarget, MxRecord } from '../dns/types.js';
import { defaultTestCa } from './test-mx-certificate.js';
import type { TestMx } from './test-mx-types.js';
import type {
  TestDomain,
  TestHost,
  TestNetwork,
  TestNetworkCall,
  TestNetworkOptions,
} from './test-network-types.js';

const ERROR_ANSWERS = {
  nxdomain: 'ENOTFOUND',
  nodata: 'ENODATA',
  timeout: 'ETIMEOUT',
  servfail: 'ESERVFAIL',
} as const;

/** An error shaped like the ones `node:dns` rejects with (`code`, `syscall`, `hostname`). */
export function dnsError(code: string, syscall: string, hostname: string): Error {
  return Object.assign(new Error(`${syscall} ${code} ${hostname}`), {
    code,
    errno: undefined,
    syscall,
    hostname,
  });
}

function isTestMx(host: TestHost): host is TestMx {
  return typeof host === 'object' && 'log' in host;
}

// A port that refuses connections: bind one, note it, close it.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

function norm(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Creates a fake DNS and a connect hook that route test domains to loopback test servers, so a test (or
 * a host app's CI) exercises MX lookup, ordering, fallback and failures without a network.
 *
 * @example
 * ```ts
 * const good = await startTestMx({ name: 'mx.mandant.test' });
 * const network = createTestNetwork({
 *   domains: { 'mandant.test': { mx: ['mx.mandant.test'] }, 'gone.test': 'nxdomain' },
 *   hosts: { 'mx.mandant.test': good },
 * });
 * // pass network.resolver and network.connect to the transport or the probe; trust network.ca.cert
 * ```
 */
export function createTestNetwork(options: TestNetworkOptions = {}): TestNetwork {
  const domains = new Map<string, TestDomain>(
    Object.entries(options.domains ?? {}).map(([k, v]) => [norm(k), v]),
  );
  const hosts = new Map<string, TestHost>(Object.entries(options.hosts ?? {}).map(([k, v]) => [norm(k), v]));
  const calls: TestNetworkCall[] = [];
  let refusedPort: Promise<number> | undefined;

  const failure = (answer: TestDomain | undefined): string | undefined =>
    typeof answer === 'string' && answer !== 'null-mx' ? ERROR_ANSWERS[answer] : undefined;

  const resolveAddress = async (method: 'resolve4' | 'resolve6', raw: string): Promise<string[]> => {
    const name = norm(raw);
    calls.push({ method, name });
    const syscall = method === 'resolve4' ? 'queryA' : 'queryAaaa';
    const host = hosts.get(name);
    if (host !== undefined) {
      const address = host === 'refused' ? '127.0.0.1' : host.host;
      if (address.includes(':') === (method === 'resolve6')) return [address];
      throw dnsError('ENODATA', syscall, name);
    }
    const answer = domains.get(name);
    if (answer === undefined) throw dnsError('ENOTFOUND', syscall, name);
    throw dnsError(failure(answer) ?? 'ENODATA', syscall, name);
  };

  return {
    resolver: {
      async resolveMx(raw: string): Promise<MxRecord[]> {
        const name = norm(raw);
        calls.push({ method: 'resolveMx', name });
        const answer = domains.get(name);
        if (answer === undefined) throw dnsError(hosts.has(name) ? 'ENODATA' : 'ENOTFOUND', 'queryMx', name);
        if (answer === 'null-mx') return [{ exchange: '', priority: 0 }];
        const code = failure(answer);
        if (code !== undefined) throw dnsError(code, 'queryMx', name);
        const records = typeof answer === 'object' ? answer.mx : undefined;
        if (records === undefined || records.length === 0) throw dnsError('ENODATA', 'queryMx', name);
        return records.map((r, i) =>
          typeof r === 'string' ? { exchange: r, priority: (i + 1) * 10 } : { ...r },
        );
      },
      resolve4: (name) => resolveAddress('resolve4', name),
      resolve6: (name) => resolveAddress('resolve6', name),
    },
    async connect(raw: string, _defaultPort: number): Promise<ConnectTarget> {
      const name = norm(raw);
      calls.push({ method: 'connect', name });
      const host = hosts.get(name);
      if (host === undefined) throw dnsError('ENOTFOUND', 'getaddrinfo', name);
      if (host === 'refused') {
        refusedPort ??= closedPort();
        return { host: '127.0.0.1', port: await refusedPort };
      }
      return { host: host.host, port: host.port };
    },
    // Created on first use: generating a CA costs an RSA key, and a caller that only routes names needs none.
    get ca() {
      return options.ca ?? defaultTestCa();
    },
    calls,
    setDomain: (domain, answer) => void domains.set(norm(domain), answer),
    setHost: (name, host) => void hosts.set(norm(name), host),
    async close() {
      await Promise.all([...hosts.values()].filter(isTestMx).map((mx) => mx.close()));
    },
  };
}
