import type { ConnectionOptions } from 'node:tls';
import { ForcedTlsError } from '../../errors/forced-tls-error.js';
import { meetsMinVersion, tlsVersionRank } from '../../policy/requirement.js';
import type { TlsVersion } from '../../policy/types.js';

/** `tls` keys passed on to the relay connection; every other key is refused. */
const ALLOWED = new Set([
  'ca',
  'servername',
  'ciphers',
  'key',
  'cert',
  'pfx',
  'passphrase',
  'minVersion',
  'maxVersion',
  'rejectUnauthorized',
]);

/** Cipher-string tokens that allow unauthenticated or unencrypted suites, or lower the security level to 0. */
const WEAK_CIPHER = /NULL|^@SECLEVEL=0$|^COMPLEMENTOF(ALL|DEFAULT)$/i;

/** The relay's `tls` options after the allow-list: safe to hand to `tls.connect`. */
export interface CheckedTls {
  /** Trusted CA certificates (PEM) that replace Node's root store (nodemailer's `tls.ca` semantics). */
  readonly ca?: readonly string[];
  readonly servername?: string;
  readonly minVersion?: TlsVersion;
  /** Everything else that passed: ciphers, key, cert, pfx, passphrase, maxVersion. */
  readonly connection: ConnectionOptions;
}

function refuse(key: string, value: unknown, why: string): never {
  throw new ForcedTlsError('EPOLICY', `Option tls.${key} is refused: ${why}`, { path: `tls.${key}`, value });
}

function version(key: string, value: unknown, policyMin: TlsVersion): TlsVersion {
  if (tlsVersionRank(String(value)) < 0) refuse(key, value, 'not a TLS version (TLSv1.2, TLSv1.3)');
  if (!meetsMinVersion(String(value), policyMin))
    refuse(key, value, `below the policy's minimum ${policyMin}`);
  return value as TlsVersion;
}

function ciphers(value: unknown): string {
  if (typeof value !== 'string') refuse('ciphers', typeof value, 'must be an OpenSSL cipher string');
  // `!aNULL` and `-eNULL` exclude suites and are fine; any other token naming NULL suites adds them.
  for (const token of value.split(/[:,\s]+/)) {
    if (token.startsWith('!') || token.startsWith('-')) continue;
    if (WEAK_CIPHER.test(token))
      refuse('ciphers', value, `${token} allows unencrypted or unauthenticated TLS`);
  }
  return value;
}

/**
 * Checks the relay's `tls` options against an allow-list (research nodemailer.md §1.5): `ca`,
 * `servername`, `ciphers` (no NULL suites, no `@SECLEVEL=0`), `key`, `cert`, `pfx`, `passphrase`,
 * `minVersion` and `maxVersion` (each at least the policy's minimum) and `rejectUnauthorized`
 * (`false` only with `allowUnverifiedRelay`). Anything else — `checkServerIdentity`, `secureContext`,
 * `secureProtocol`, `pskCallback`, `socket`, `host`, `session`, … — could switch a check off or move
 * the connection, and is refused with `EPOLICY` naming `tls.<key>`.
 */
export function checkTlsOptions(value: unknown, policyMin: TlsVersion, allowUnverified: boolean): CheckedTls {
  if (value === undefined || value === null) return { connection: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ForcedTlsError('EPOLICY', 'Option tls must be an object', { path: 'tls', value: typeof value });
  }
  const tls = value as Readonly<Record<string, unknown>>;
  const connection: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(tls)) {
    if (v === undefined) continue;
    if (!ALLOWED.has(key)) refuse(key, typeof v, 'not among the TLS options the transport passes on');
    if (['key', 'cert', 'pfx', 'passphrase'].includes(key)) connection[key] = v;
  }
  if (tls['rejectUnauthorized'] === false && !allowUnverified) {
    refuse(
      'rejectUnauthorized',
      false,
      'set allowUnverifiedRelay: true to accept an unverified relay certificate',
    );
  }
  if (tls['ciphers'] !== undefined) connection['ciphers'] = ciphers(tls['ciphers']);
  if (tls['maxVersion'] !== undefined)
    connection['maxVersion'] = version('maxVersion', tls['maxVersion'], policyMin);
  const minVersion =
    tls['minVersion'] === undefined ? undefined : version('minVersion', tls['minVersion'], policyMin);
  const servername = tls['servername'];
  if (servername !== undefined && (typeof servername !== 'string' || servername.length === 0)) {
    refuse('servername', servername, 'must be a host name');
  }
  const ca = tls['ca'] === undefined ? undefined : ([] as unknown[]).concat(tls['ca']).map(String);
  return {
    connection: connection as ConnectionOptions,
    ...(ca === undefined ? {} : { ca }),
    ...(servername === undefined ? {} : { servername }),
    ...(minVersion === undefined ? {} : { minVersion }),
  };
}
