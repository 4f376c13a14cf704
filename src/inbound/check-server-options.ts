import { meetsMinVersion } from '../policy/requirement.js';
import type { TlsVersion } from '../policy/types.js';

/** A problem with an smtp-server configuration meant to enforce inbound TLS. */
export interface ServerOptionsWarning {
  /**
   * - `no_certificate`: no `key`/`cert` (or `pfx`, `SNICallback`, `sniOptions`): smtp-server falls back to
   *   its built-in certificate, whose private key is public;
   * - `min_version_low`: `minVersion` is unset or below `TLSv1.2` (smtp-server's default is `TLSv1`);
   * - `starttls_only_hidden`: `hideSTARTTLS` only hides STARTTLS from EHLO, the command still works,
   *   and senders that do not see it send in plaintext and are refused;
   * - `starttls_disabled`: `disabledCommands` has STARTTLS on a plaintext listener: no sender can use
   *   TLS here, so every TLS-required sender is refused;
   * - `no_error_listener`: the server has no `'error'` listener; an aborted handshake then crashes the process.
   */
  readonly code:
    | 'no_certificate'
    | 'min_version_low'
    | 'starttls_only_hidden'
    | 'starttls_disabled'
    | 'no_error_listener';
  /** What is wrong and what to set instead, in one sentence. */
  readonly message: string;
}

/** The smtp-server options {@link checkServerOptions} reads. */
export interface CheckableServerOptions {
  /** The private key (PEM) for TLS. */
  readonly key?: unknown;
  /** The certificate chain (PEM) for TLS. */
  readonly cert?: unknown;
  /** Key and certificate as PKCS#12. */
  readonly pfx?: unknown;
  /** Picks a secure context per SNI name. */
  readonly SNICallback?: unknown;
  /** Key and certificate per SNI name (smtp-server). */
  readonly sniOptions?: unknown;
  /** Lowest TLS version the server accepts. */
  readonly minVersion?: string | undefined;
  /** Implicit TLS (port 465 style). */
  readonly secure?: boolean | undefined;
  /** Hides STARTTLS from EHLO (the command still works). */
  readonly hideSTARTTLS?: boolean | undefined;
  /** Commands the server refuses, e.g. `STARTTLS` or `AUTH`. */
  readonly disabledCommands?: readonly string[] | undefined;
}

// The floor for the listener itself (RFC 8996 retires TLS 1.0 and 1.1); the policy's per-sender
// minimum is enforced by the guard at MAIL FROM on top of it.
const SERVER_MIN_VERSION: TlsVersion = 'TLSv1.2';

/**
 * Checks the settings a forced-TLS receiver needs and returns what is wrong (empty when all is
 * well). Pass the server too, after attaching listeners, to check for an `'error'` listener.
 *
 * @example
 * ```ts
 * const server = new SMTPServer(options);
 * server.on('error', (err) => log.warn(err));
 * for (const w of checkServerOptions(options, server)) log.warn(w.code, w.message);
 * ```
 */
export function checkServerOptions(
  options: CheckableServerOptions,
  server?: { listenerCount(event: string): number },
): ServerOptionsWarning[] {
  const warnings: ServerOptionsWarning[] = [];
  const add = (code: ServerOptionsWarning['code'], message: string) => warnings.push({ code, message });
  const disabled = (options.disabledCommands ?? []).map((c) => c.toUpperCase());
  const tlsOff = disabled.includes('STARTTLS') && options.secure !== true;
  const hasCert = [options.key, options.cert, options.pfx, options.SNICallback, options.sniOptions].some(
    (v) => v !== undefined && v !== null,
  );
  if (!hasCert && !tlsOff) {
    add(
      'no_certificate',
      'no key/cert configured: smtp-server would use its built-in certificate, whose key is public',
    );
  }
  if (!tlsOff && !meetsMinVersion(options.minVersion, SERVER_MIN_VERSION)) {
    add(
      'min_version_low',
      `minVersion is ${options.minVersion ?? 'unset (smtp-server default TLSv1)'}; set '${SERVER_MIN_VERSION}'`,
    );
  }
  if (options.hideSTARTTLS === true && !disabled.includes('STARTTLS')) {
    add(
      'starttls_only_hidden',
      "hideSTARTTLS only hides STARTTLS; use disabledCommands: ['STARTTLS'] to turn it off",
    );
  }
  if (tlsOff)
    add(
      'starttls_disabled',
      'STARTTLS is disabled on a plaintext listener: TLS-required senders are refused',
    );
  if (server !== undefined && server.listenerCount('error') === 0) {
    add(
      'no_error_listener',
      "add server.on('error', …): an aborted TLS handshake would otherwise crash the process",
    );
  }
  return warnings;
}
