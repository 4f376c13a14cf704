import { createServer } from 'node:net';
import type { ConnectTarget, MxRecord } from '../dns/types.js';
import { ForcedTlsError } from '../errors/index.js';
import { readShape } from '../internal/index.js';
import { checkStrings, checkTestDomain, checkTestHost, recordEntries } from './check-arguments.js';
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
  checkStrings({ code, syscall, hostname });
  return Object.assign(new Error(`${syscall} ${code} ${hostname}`), {
    code,
    errno: undefined,
    syscall,
    hostname,
  });
}

function isTestMx(host: TestHost): host is TestMx {
  return typeof host === 'object' && 'log' in host && typeof (host as TestMx).close === 'function';
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
  if (typeof name !== 'string') {
    throw new ForcedTlsError('EADDRESS', 'A test network name must be a string', {
      path: 'name',
      value: name,
    });
  }
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
export function createTestNetwork(input?: TestNetworkOptions): TestNetwork {
  const options = readShape(
    input,
    { domains: 'any', hosts: 'any', ca: 'object' },
    { subject: 'test option' },
  );
  const domains = new Map<string, TestDomain>(
    recordEntries('domains', options.domains, checkTestDomain).map(([k, v]) => [norm(k), v as TestDomain]),
  );
  // A host is one test server (or address), or a list of them: a host with several addresses.
  const checkHosts = (path: string, value: unknown) => {
    if (!Array.isArray(value)) return checkTestHost(path, value);
    for (const [i, h] of value.entries()) checkTestHost(`${path}[${i}]`, h);
  };
  const hosts = new Map<string, readonly TestHost[]>(
    recordEntries('hosts', options.hosts, checkHosts).map(([k, v]) => [
      norm(k),
      ([] as TestHost[]).concat(v as TestHost),
    ]),
  );
  const calls: TestNetworkCall[] = [];
  let refusedPort: Promise<number> | undefined;

  const failure = (answer: TestDomain | undefined): string | undefined =>
    typeof answer === 'string' && answer !== 'null-mx' ? ERROR_ANSWERS[answer] : undefined;

  const resolveAddress = async (method: 'resolve4' | 'resolve6', raw: string): Promise<string[]> => {
    const name = norm(raw);
    calls.push({ method, name });
    const syscall = method === 'resolve4' ? 'queryA' : 'queryAaaa';
    const list = hosts.get(name);
    if (list !== undefined) {
      const addresses = list
        .map((host) => (host === 'refused' ? '127.0.0.1' : host.host))
        .filter((address) => address.includes(':') === (method === 'resolve6'));
      if (addresses.length > 0) return addresses;
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
      async resolveTxt(raw: string): Promise<string[][]> {
        const name = norm(raw);
        calls.push({ method: 'resolveTxt', name });
        const answer = domains.get(name);
        if (answer === undefined) throw dnsError(hosts.has(name) ? 'ENODATA' : 'ENOTFOUND', 'queryTxt', name);
        const code = failure(answer);
        if (code !== undefined) throw dnsError(code, 'queryTxt', name);
        const records = typeof answer === 'object' ? answer.txt : undefined;
        if (records === undefined || records.length === 0) throw dnsError('ENODATA', 'queryTxt', name);
        return records.map((r) => (typeof r === 'string' ? [r] : [...r]));
      },
    },
    async connect(raw: string, _defaultPort: number): Promise<ConnectTarget | ConnectTarget[]> {
      const name = norm(raw);
      calls.push({ method: 'connect', name });
      const list = hosts.get(name);
      if (list === undefined) throw dnsError('ENOTFOUND', 'getaddrinfo', name);
      const targets = await Promise.all(
        list.map(async (host): Promise<ConnectTarget> => {
          if (host !== 'refused') return { host: host.host, port: host.port };
          refusedPort ??= closedPort();
          return { host: '127.0.0.1', port: await refusedPort };
        }),
      );
      return targets.length === 1 ? targets[0]! : targets;
    },
    // Created on first use: generating a CA costs an RSA key, and a caller that only routes names needs none.
    get ca() {
      return (options.ca as TestNetwork['ca'] | undefined) ?? defaultTestCa();
    },
    calls,
    setDomain: (domain, answer) => {
      checkTestDomain('answer', answer);
      domains.set(norm(domain), answer);
    },
    setHost: (name, host) => {
      checkHosts('host', host);
      hosts.set(norm(name), ([] as TestHost[]).concat(host));
    },
    async close() {
      await Promise.all(
        [...hosts.values()]
          .flat()
          .filter(isTestMx)
          .map((mx) => mx.close()),
      );
    },
  };
}
