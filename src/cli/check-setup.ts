import { createDnssecResolver, DNSSEC_RESOLVER_DEFAULTS, type DnssecResolver } from '../dnssec/index.js';
import { isForcedTlsError } from '../errors/index.js';
import { createMtaStsResolver } from '../mta-sts/index.js';
import type { ProberOptions } from '../probe/index.js';
import { createSystemResolver, DEFAULT_DNS_TIMEOUT_MS, withLookupDeadline } from './check-resolver.js';
import { CliError } from './cli-error.js';
import type { FixtureNetwork } from './dns-fixture.js';

/** What the flags of `check` say about how to probe. */
export interface CheckSettings {
  /** `--dns-fixture`: answer DNS from the file and connect where it says. */
  readonly network?: FixtureNetwork;
  readonly port?: number;
  readonly ehloName?: string;
  /** `--timeout`: every phase, DNS lookup, MTA-STS fetch and DNSSEC lookup ends by then. */
  readonly timeout?: number;
  readonly concurrency: number;
  /** `--ca`: PEM certificates added to Node's root store (MX hosts and the MTA-STS policy host). */
  readonly ca?: readonly string[];
  /** `--dnssec-server`: the validating resolvers for DANE; none: DANE off. */
  readonly dnssecServers: readonly string[];
  /** Off with `--no-mta-sts`. */
  readonly mtaSts: boolean;
  /** Off with `--no-bsi-profile`. */
  readonly bsiProfile: boolean;
}

/** The prober options, and what to close when every domain is done. */
export interface CheckSetup {
  readonly options: ProberOptions;
  close(): Promise<void>;
}

// The DNSSEC resolver's own bounds on its deadline and on one try.
const MAX_DNSSEC_DEADLINE_MS = 120_000;

function usage(message: string): CliError {
  return new CliError('EUSAGE', message, 'check');
}

function dnssecResolver(servers: readonly string[], timeout: number | undefined): DnssecResolver {
  const limits =
    timeout === undefined
      ? {}
      : {
          deadlineMs: Math.min(timeout, MAX_DNSSEC_DEADLINE_MS),
          timeoutMs: Math.min(timeout, DNSSEC_RESOLVER_DEFAULTS.timeoutMs),
        };
  try {
    return createDnssecResolver({ servers, ...limits });
  } catch (error) {
    const index = isForcedTlsError(error) ? /^servers\[(\d+)\]$/.exec(error.path ?? '')?.[1] : undefined;
    if (index === undefined) throw error;
    const value = JSON.stringify(servers[Number(index)]);
    if ((error as Error).message.includes('loopback')) {
      throw usage(
        `--dnssec-server must be on a loopback address (127.0.0.1, [::1]): the AD bit of a remote resolver is not protected on the way, got ${value}`,
      );
    }
    throw usage(
      `--dnssec-server must be the IP address of a DNSSEC-validating resolver with an optional port, like 127.0.0.1:53, got ${value}`,
    );
  }
}

/**
 * The prober options for `check`: DNS with a deadline per lookup (the fixture's or the system's),
 * an MTA-STS resolver of its own whose TXT lookup and policy fetch end by `--timeout`, the DNSSEC
 * resolver of `--dnssec-server` with its deadline bounded the same way, and the BSI profile offer.
 *
 * @example
 * ```ts
 * const setup = checkSetup({ concurrency: 8, dnssecServers: ['127.0.0.1:53'], mtaSts: true, bsiProfile: true });
 * const prober = createProber(setup.options);
 * ```
 */
export function checkSetup(s: CheckSettings): CheckSetup {
  const dnsMs = s.timeout ?? DEFAULT_DNS_TIMEOUT_MS;
  const resolver =
    s.network === undefined ? createSystemResolver(dnsMs) : withLookupDeadline(s.network.resolver, dnsMs);
  const connect = s.network?.connect;
  const mtaSts = s.mtaSts
    ? createMtaStsResolver({
        resolver,
        ...(connect === undefined ? {} : { connect }),
        ...(s.ca === undefined ? {} : { ca: s.ca }),
        ...(s.timeout === undefined ? {} : { fetchTimeoutMs: s.timeout, dnsTimeoutMs: s.timeout }),
      })
    : undefined;
  const dnssec = s.dnssecServers.length === 0 ? undefined : dnssecResolver(s.dnssecServers, s.timeout);
  const t = s.timeout;
  const options: ProberOptions = {
    maxConnections: s.concurrency,
    resolver,
    ...(connect === undefined ? {} : { connect }),
    ...(s.port === undefined ? {} : { port: s.port }),
    ...(s.ehloName === undefined ? {} : { ehloName: s.ehloName }),
    ...(t === undefined ? {} : { timeouts: { connect: t, greeting: t, reply: t, handshake: t } }),
    ...(s.ca === undefined ? {} : { ca: s.ca }),
    mtaSts: mtaSts ?? false,
    ...(dnssec === undefined ? {} : { dnssec }),
    bsiProfile: s.bsiProfile,
  };
  return { options, close: async () => mtaSts?.close() };
}
