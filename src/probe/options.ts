import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import { createNodeResolver } from '../dns/node-resolver.js';
import type { ConnectHook, Resolver } from '../dns/types.js';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import type { TlsVersion } from '../policy/types.js';
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

const EHLO_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$|^\[[0-9a-f:.]+\]$/i;

function bad(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid probe option ${path}: ${why}`, { path, value });
}

function positive(path: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw bad(path, value, 'must be a positive number of milliseconds');
  return value;
}

/** Validates the options (throwing `EPOLICY` naming the field) and fills in the defaults. */
export function resolveProbeOptions(options: ProbeOptions = {}): ResolvedProbeOptions {
  const port = options.port ?? 25;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('port', port, 'must be a TCP port');
  const minVersion = options.minVersion ?? 'TLSv1.2';
  if (minVersion !== 'TLSv1.2' && minVersion !== 'TLSv1.3') {
    throw bad('minVersion', minVersion, "must be 'TLSv1.2' or 'TLSv1.3'");
  }
  if (options.ehloName !== undefined && !EHLO_NAME.test(options.ehloName)) {
    throw bad('ehloName', options.ehloName, 'must be a fully qualified domain name or an address literal');
  }
  const system = hostname();
  const t = options.timeouts ?? {};
  return {
    resolver: options.resolver ?? createNodeResolver(),
    connect: options.connect,
    port,
    ehloName: options.ehloName ?? (EHLO_NAME.test(system) && system.includes('.') ? system : undefined),
    timeouts: {
      connect: positive('timeouts.connect', t.connect, 10_000),
      greeting: positive('timeouts.greeting', t.greeting, 20_000),
      reply: positive('timeouts.reply', t.reply, 10_000),
      handshake: positive('timeouts.handshake', t.handshake, 10_000),
    },
    minVersion,
    // Extra CAs are added to Node's root store, as in the transports: a private CA does not stop
    // publicly trusted MX certificates from verifying.
    ca:
      options.ca === undefined
        ? undefined
        : [...rootCertificates, ...(typeof options.ca === 'string' ? [options.ca] : options.ca)],
    clock: options.clock ?? (() => new Date()),
  };
}
