import type { ConnectHook, Resolver } from '../dns/types.js';
import type { TestDomain, TestHost } from '../testing/index.js';
import { CliError } from './cli-error.js';
import { readInputFile } from './input-file.js';

/**
 * The `--dns-fixture` file: DNS answers for test domains and where each host name really listens,
 * so `check` runs offline against loopback servers. It is the JSON form of the options of
 * `createTestNetwork` (from `forced-tls/testing`), with hosts written as `"address:port"` or
 * `"refused"`. Names not in the file fail with `ENOTFOUND`: nothing is looked up in the real DNS.
 *
 * @example
 * ```json
 * {
 *   "domains": { "mandant.test": { "mx": ["mx1.mandant.test"] }, "gone.test": "nxdomain" },
 *   "hosts": { "mx1.mandant.test": "127.0.0.1:2525" }
 * }
 * ```
 */
export interface DnsFixture {
  readonly domains?: Readonly<Record<string, TestDomain>>;
  readonly hosts?: Readonly<Record<string, string>>;
}

/** What `check` needs from a fixture: a resolver and a connect hook. */
export interface FixtureNetwork {
  readonly resolver: Resolver;
  readonly connect: ConnectHook;
}

const FAILURES = new Set(['null-mx', 'nxdomain', 'nodata', 'timeout', 'servfail']);
const TARGET = /^(\[[0-9a-f:]+\]|[0-9.]+|localhost):(\d{1,5})$/i;

function invalid(file: string, what: string): CliError {
  return new CliError('EINPUT', `${file}: ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validDomain(answer: unknown): answer is TestDomain {
  if (typeof answer === 'string') return FAILURES.has(answer);
  if (!isRecord(answer) || Object.keys(answer).some((k) => k !== 'mx')) return false;
  const mx = answer['mx'];
  if (mx === undefined) return true;
  return (
    Array.isArray(mx) &&
    mx.every(
      (r) =>
        typeof r === 'string' ||
        (isRecord(r) && typeof r['exchange'] === 'string' && Number.isInteger(r['priority'])),
    )
  );
}

function toHost(file: string, name: string, target: unknown): TestHost {
  if (target === 'refused') return 'refused';
  const match = typeof target === 'string' ? TARGET.exec(target) : null;
  if (match === null)
    throw invalid(
      file,
      `hosts["${name}"] must be "address:port" or "refused", got ${JSON.stringify(target)}`,
    );
  return { host: (match[1] ?? '').replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
}

/**
 * Validates a parsed fixture and builds the network. Rejects with `EINPUT` naming the wrong field.
 * The test network is loaded only here, so the CLI loads no test code unless `--dns-fixture` is given.
 */
export async function createFixtureNetwork(json: unknown, file = 'DNS fixture'): Promise<FixtureNetwork> {
  if (!isRecord(json)) throw invalid(file, 'must be a JSON object');
  for (const field of Object.keys(json)) {
    if (!['domains', 'hosts', '$comment'].includes(field)) throw invalid(file, `unknown field "${field}"`);
  }
  const domains = json['domains'] ?? {};
  const hosts = json['hosts'] ?? {};
  if (!isRecord(domains)) throw invalid(file, '"domains" must be an object');
  if (!isRecord(hosts)) throw invalid(file, '"hosts" must be an object');
  for (const [domain, answer] of Object.entries(domains)) {
    if (!validDomain(answer)) {
      throw invalid(
        file,
        `domains["${domain}"] must be { "mx": [...] } or one of ${[...FAILURES].map((f) => `"${f}"`).join(', ')}`,
      );
    }
  }
  const { createTestNetwork } = await import('../testing/index.js');
  const network = createTestNetwork({
    domains: domains as Record<string, TestDomain>,
    hosts: Object.fromEntries(
      Object.entries(hosts).map(([name, target]) => [name, toHost(file, name, target)]),
    ),
  });
  return { resolver: network.resolver, connect: network.connect };
}

/** Reads a fixture file and builds the network. */
export async function loadDnsFixture(path: string): Promise<FixtureNetwork> {
  const text = await readInputFile(path, 'DNS fixture', path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `invalid JSON: ${(error as Error).message}`);
  }
  return createFixtureNetwork(json, path);
}
