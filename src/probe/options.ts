import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import { createNodeResolver } from '../dns/node-resolver.js';
import type { ConnectHook, Resolver } from '../dns/types.js';
import { caList, ehloName, isEhloName, milliseconds, optionError, portNumber } from '../internal/options.js';
import { TLS_VERSIONS, type TlsVersion } from '../policy/types.js';
import type { Clock } from '../whitelist/types.js';

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
}

const SUBJECT = 'probe option';

/** Validates the options (throwing `EPOLICY` naming the field) and fills in the defaults. */
export function resolveProbeOptions(options: ProbeOptions = {}): ResolvedProbeOptions {
  const port = portNumber('port', options.port, 25, SUBJECT);
  const minVersion = options.minVersion ?? 'TLSv1.2';
  if (!TLS_VERSIONS.includes(minVersion)) {
    throw optionError('minVersion', minVersion, "must be 'TLSv1.2' or 'TLSv1.3'", SUBJECT);
  }
  const ehlo = options.ehloName === undefined ? undefined : ehloName('ehloName', options.ehloName, SUBJECT);
  const ca = caList(options.ca, 'ca', SUBJECT);
  const system = hostname();
  const t = options.timeouts ?? {};
  return {
    resolver: options.resolver ?? createNodeResolver(),
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
    clock: options.clock ?? (() => new Date()),
  };
}
