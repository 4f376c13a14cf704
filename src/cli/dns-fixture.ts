import type { ConnectHook, Resolver } from '../dns/index.js';
import type { TestDomain, TestHost } from '../testing/index.js';
import { CliError } from './cli-error.js';
import { readInputFile } from './input-file.js';

/**
 * The `--dns-fixture` file: DNS answers for test domains and where each host name really listens,
 * so `check` runs offline against loopback servers. It is the JSON form of the options of
 * `createTestNetwork` (from `forced-tls/testing`), with hosts written as `"address:port"` or
 * `"refused"`, plus `"no-answer"`: a name whose lookups never answer (`--timeout` ends them). Names
 * not in the file fail with `ENOTFOUND`: nothing is looked up in the real DNS.
 *
 * MTA-STS offline: the TXT record goes under `_mta-sts.<domain>` (`{ "txt": ["v=STSv1; id=1"] }`),
 * and `hosts["mta-sts.<domain>"]` routes the policy fetch to a local HTTPS server (such as
 * `startTestPolicyHost`); its certificate is still checked against `mta-sts.<domain>`.
 *
 * @example
 * ```json
 * {
 *   "domains": {
 *     "mandant.test": { "mx": ["mx1.mandant.test"] },
 *     "_mta-sts.mandant.test": { "txt": ["v=STSv1; id=20270101"] },
 *     "gone.test": "nxdomain"
 *   },
 *   "hosts": { "mx1.mandant.test": "127.0.0.1:2525", "mta-sts.mandant.test": "127.0.0.1:8443" }
 * }
 * ```
 */
export interface DnsFixture {
  /** A `createTestNetwork` answer (`{ mx, txt }`, `"nxdomain"`, …) or `"no-answer"`. */
  readonly domains?: Readonly<Record<string, TestDomain | 'no-answer'>>;
  readonly hosts?: Readonly<Record<string, string>>;
}

/** What `check` needs from a fixture: a resolver and a connect hook. */
export interface FixtureNetwork {
  readonly resolver: Resolver;
  readonly connect: ConnectHook;
}

const FAILURES = new Set(['null-mx', 'nxdomain', 'nodata', 'timeout', 'servfail']);
// Not a `createTestNetwork` answer: the fixture itself keeps these lookups waiting.
const NO_ANSWER = 'no-answer';
const ANSWERS = [...FAILURES, NO_ANSWER];
const TARGET = /^(\[[0-9a-f:]+\]|[0-9.]+|localhost):(\d{1,5})$/i;

function invalid(file: string, what: string): CliError {
  return new CliError('EINPUT', `${file}: ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validMx(mx: unknown): boolean {
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

// A TXT record is one string, or the character strings of one record (concatenated by a reader).
function validTxt(txt: unknown): boolean {
  if (txt === undefined) return true;
  const text = (v: unknown) => typeof v === 'string';
  return Array.isArray(txt) && txt.every((r) => text(r) || (Array.isArray(r) && r.every(text)));
}

function validDomain(answer: unknown): boolean {
  if (typeof answer === 'string') return ANSWERS.includes(answer);
  if (!isRecord(answer) || Object.keys(answer).some((k) => k !== 'mx' && k !== 'txt')) return false;
  return validMx(answer['mx']) && validTxt(answer['txt']);
}

function norm(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

// Lookups of a `no-answer` name never settle; every other lookup goes to the test network.
function withSilentNames(resolver: Resolver, silent: ReadonlySet<string>): Resolver {
  const wait = <T>(name: string, answer: () => Promise<T>): Promise<T> =>
    typeof name === 'string' && silent.has(norm(name)) ? new Promise<T>(() => {}) : answer();
  return {
    resolveMx: (name) => wait(name, () => resolver.resolveMx(name)),
    resolve4: (name) => wait(name, () => resolver.resolve4(name)),
    resolve6: (name) => wait(name, () => resolver.resolve6(name)),
    resolveTxt: (name) => wait(name, () => resolver.resolveTxt?.(name) ?? Promise.resolve([])),
  };
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
        `domains["${domain}"] must be { "mx": [...], "txt": [...] } or one of ${ANSWERS.map((f) => `"${f}"`).join(', ')}`,
      );
    }
  }
  const silent = new Set(
    Object.entries(domains)
      .filter(([, answer]) => answer === NO_ANSWER)
      .map(([name]) => norm(name)),
  );
  const { createTestNetwork } = await import('../testing/index.js');
  const network = createTestNetwork({
    domains: Object.fromEntries(
      Object.entries(domains).filter(([, answer]) => answer !== NO_ANSWER),
    ) as Record<string, TestDomain>,
    hosts: Object.fromEntries(
      Object.entries(hosts).map(([name, target]) => [name, toHost(file, name, target)]),
    ),
  });
  return { resolver: withSilentNames(network.resolver, silent), connect: network.connect };
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
