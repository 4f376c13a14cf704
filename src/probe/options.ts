import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import { createNodeResolver } from '../dns/node-resolver.js';
import type { ConnectHook, Resolver } from '../dns/types.js';
import type { DnssecResolver } from '../dnssec/index.js';
import type { Clock } from '../internal/clock.js';
import {
  caList,
  ehloName,
  isEhloName,
  milliseconds,
  optionError,
  portNumber,
  readShape,
} from '../internal/index.js';
import type { MtaStsResolver } from '../mta-sts/index.js';
import { TLS_VERSIONS, type TlsVersion } from '../policy/index.js';
import { type MtaStsOff, resolveMtaStsOption } from './mta-sts-option.js';

/** Per-phase timeouts in milliseconds. */
export interface ProbeTimeouts {
  /** TCP connect. @default 10000 */
  readonly connect?: number;
  /** The `220` greeting. @default 20000 */
  readonly greeting?: number;
  /** Each reply (EHLO, STARTTLS, QUIT). @default 10000 */
  readonly reply?: number;
  /** The TLS handshake. @default 10000 */
  readonly handshake?: number;
}

/** Options of `probeDomain` and `createProber`. */
export interface ProbeOptions {
  /** DNS. @default the system resolver (`createNodeResolver()`) */
  readonly resolver?: Resolver;
  /** Maps a host name to the address and port to connect to (certificates are still checked against the name). */
  readonly connect?: ConnectHook;
  /** @default 25 */
  readonly port?: number;
  /**
   * The name sent with EHLO. Use your sending host's fully qualified name. @default the machine's host
   * name if it is fully qualified (contains a dot), otherwise the address literal of the local end of the
   * connection (`[192.0.2.1]`, RFC 5321 §4.1.3) — never a bare host name.
   */
  readonly ehloName?: string;
  /** Per-phase time limits. @default { connect: 10000, greeting: 20000, reply: 10000, handshake: 10000 } */
  readonly timeouts?: ProbeTimeouts;
  /** Lowest TLS version accepted; a server offering only older versions is `tls_version_too_old`. @default 'TLSv1.2' */
  readonly minVersion?: TlsVersion;
  /** Extra trusted CA certificates (PEM), added to Node's root store (private CAs, tests). */
  readonly ca?: string | readonly string[];
  /** @default () => new Date() */
  readonly clock?: Clock;
  /**
   * The MTA-STS (RFC 8461) resolver whose policy the probe reports and applies: pass the one your
   * sender uses, so the probe shows what it would apply (`cached` included), or `false` to not look.
   * Each probe re-checks the TXT record (`recheck`), so it shows the live id; a new id is fetched.
   * @default a `createMtaStsResolver` on this probe's `resolver`, `connect`, `ca` and `clock` with a
   * memory cache (one per `createProber`, a fresh one per `probeDomain` call); not looked up when
   * `resolver` has no `resolveTxt`
   */
  readonly mtaSts?: MtaStsResolver | false;
  /**
   * The DNSSEC-validating resolver (`createDnssecResolver` from `forced-tls/dnssec`) for DANE
   * (RFC 7672): the DNSSEC status of the MX RRset and of each host's addresses, its TLSA records and
   * whether the certificate matches them. @default none: DANE is not checked
   */
  readonly dnssec?: DnssecResolver;
  /**
   * Offer only the BSI TR-02102-2 profile in the handshake first (`bsiTlsOptions()`), as a sender
   * that applies the profile does (level `qualified` needs it); a server that refuses it is probed
   * again with Node's defaults on a second connection. `false`: Node's defaults only. The profile is judged on the result either way.
   * @default true
   */
  readonly bsiProfile?: boolean;
}

/** The options with every default filled in. */
export interface ResolvedProbeOptions {
  readonly resolver: Resolver;
  readonly connect: ConnectHook | undefined;
  readonly port: number;
  /** `undefined`: use the local address literal at connect time. */
  readonly ehloName: string | undefined;
  readonly timeouts: Required<ProbeTimeouts>;
  readonly minVersion: TlsVersion;
  readonly ca: string[] | undefined;
  readonly clock: Clock;
  /** `undefined` when MTA-STS is not looked up (`mtaStsOff` says why). */
  readonly mtaSts: MtaStsResolver | undefined;
  readonly mtaStsOff: MtaStsOff | undefined;
  readonly dnssec: DnssecResolver | undefined;
  readonly bsiProfile: boolean;
}

const SUBJECT = 'probe option';

/** Validates the options (throwing `EPOLICY` naming the field) and fills in the defaults. */
/** Every field of {@link ProbeOptions}, read once (types beyond these are checked below). */
export const PROBE_FIELDS = {
  resolver: 'object',
  connect: 'function',
  port: 'any',
  ehloName: 'any',
  timeouts: 'any',
  minVersion: 'any',
  ca: 'any',
  clock: 'function',
  mtaSts: 'any',
  dnssec: 'any',
  bsiProfile: 'any',
} as const;
const RESOLVER_METHODS = { resolveMx: 'function', resolve4: 'function', resolve6: 'function' } as const;
const TIMEOUT_FIELDS = { connect: 'any', greeting: 'any', reply: 'any', handshake: 'any' } as const;

export function resolveProbeOptions(input?: ProbeOptions): ResolvedProbeOptions {
  const options = readShape(input, PROBE_FIELDS, { subject: SUBJECT }) as ProbeOptions;
  if (options.resolver !== undefined) {
    readShape(options.resolver, RESOLVER_METHODS, { path: 'resolver', optional: false, subject: SUBJECT });
  }
  const port = portNumber('port', options.port, 25, SUBJECT);
  const minVersion = options.minVersion ?? 'TLSv1.2';
  if (!TLS_VERSIONS.includes(minVersion as TlsVersion)) {
    throw optionError('minVersion', minVersion, "must be 'TLSv1.2' or 'TLSv1.3'", SUBJECT);
  }
  const ehlo = options.ehloName === undefined ? undefined : ehloName('ehloName', options.ehloName, SUBJECT);
  const ca = caList(options.ca, 'ca', SUBJECT);
  const system = hostname();
  const t = readShape(options.timeouts, TIMEOUT_FIELDS, { path: 'timeouts', subject: SUBJECT });
  const resolver = options.resolver ?? createNodeResolver();
  const clock = options.clock ?? (() => new Date());
  if (options.bsiProfile !== undefined && typeof options.bsiProfile !== 'boolean') {
    throw optionError('bsiProfile', options.bsiProfile, 'must be true or false', SUBJECT);
  }
  const mtaSts = resolveMtaStsOption(options.mtaSts, { resolver, connect: options.connect, ca, clock });
  return {
    resolver,
    connect: options.connect,
    port,
    ehloName: ehlo ?? (isEhloName(system) && !system.startsWith('[') ? system : undefined),
    timeouts: {
      connect: milliseconds('timeouts.connect', t.connect, 10_000, SUBJECT),
      greeting: milliseconds('timeouts.greeting', t.greeting, 20_000, SUBJECT),
      reply: milliseconds('timeouts.reply', t.reply, 10_000, SUBJECT),
      handshake: milliseconds('timeouts.handshake', t.handshake, 10_000, SUBJECT),
    },
    minVersion,
    // Extra CAs are added to Node's root store, as in the transports: a private CA does not stop
    // publicly trusted MX certificates from verifying.
    ca: ca === undefined ? undefined : [...rootCertificates, ...ca],
    clock,
    ...mtaSts,
    dnssec: dnssecOption(options.dnssec),
    bsiProfile: options.bsiProfile ?? true,
  };
}

function dnssecOption(value: unknown): DnssecResolver | undefined {
  if (value === undefined) return undefined;
  const r = value as Partial<Record<string, unknown>> | null;
  for (const method of ['mx', 'lookup', 'tlsa']) {
    if (typeof r?.[method] !== 'function') {
      throw optionError('dnssec', typeof value, `must be a DNSSEC resolver (no ${method}() method)`, SUBJECT);
    }
  }
  return value as DnssecResolver;
}
