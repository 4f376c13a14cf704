import { describeValue, ForcedTlsError } from '../errors/index.js';
import { readShape } from '../internal/index.js';
import { meetsMinVersion, type TlsVersion } from '../policy/index.js';
import { type BsiServerWarning, bsiServerWarnings } from './bsi-server-check.js';

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
   * - `no_error_listener`: the server has no `'error'` listener; an aborted handshake then crashes the process;
   * - with `bsiProfile` (BSI TR-02102-2): `bsi_ciphers_outside_profile` (`ciphers` unset, naming a
   *   suite or keyword outside the profile, or no TLS 1.3 suite so Node's TLS 1.3 defaults stay),
   *   `bsi_groups_outside_profile` (`ecdhCurve` unset, `auto` or outside), `bsi_sigalgs_outside_profile`
   *   (`sigalgs` unset or outside), `bsi_key_outside_profile` (the `cert` key is below 3000 bits RSA/DSA,
   *   below 250 bits EC, or of another type), `bsi_key_unchecked` (no PEM `cert` to read).
   */
  readonly code:
    | 'no_certificate'
    | 'min_version_low'
    | 'starttls_only_hidden'
    | 'starttls_disabled'
    | 'no_error_listener'
    | BsiServerWarning['code'];
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
  /** Highest TLS version the server accepts (for the BSI profile check). */
  readonly maxVersion?: string | undefined;
  /** OpenSSL cipher list (for the BSI profile check). */
  readonly ciphers?: string | undefined;
  /** Key-exchange groups (for the BSI profile check). */
  readonly ecdhCurve?: string | undefined;
  /** Signature algorithms (for the BSI profile check). */
  readonly sigalgs?: string | undefined;
  /** Implicit TLS (port 465 style). */
  readonly secure?: boolean | undefined;
  /** Hides STARTTLS from EHLO (the command still works). */
  readonly hideSTARTTLS?: boolean | undefined;
  /** Commands the server refuses, e.g. `STARTTLS` or `AUTH`. */
  readonly disabledCommands?: readonly string[] | undefined;
}

/** What {@link checkServerOptions} checks beyond the forced-TLS basics. */
export interface CheckServerOptionsOptions {
  /**
   * Also check the TLS settings against the BSI TR-02102-2 profile (ciphers, groups, signature
   * schemes, the certificate's key size); `bsiTlsOptions` values pass. @default false
   */
  readonly bsiProfile?: boolean;
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
 * checkServerOptions(options, server, { bsiProfile: true }); // also the BSI TR-02102-2 profile
 * ```
 */
export function checkServerOptions(
  input: CheckableServerOptions,
  server?: { listenerCount(event: string): number },
  check: CheckServerOptionsOptions = {},
): ServerOptionsWarning[] {
  const options = readShape(input, SERVER_FIELDS, { optional: false }) as CheckableServerOptions;
  (options.disabledCommands ?? []).forEach((c, i) => {
    if (typeof c !== 'string') throw refuse(`disabledCommands[${i}]`, c, 'must be a command name');
  });
  const errorListeners = listenerCount(server);
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
  if (errorListeners === 0) {
    add(
      'no_error_listener',
      "add server.on('error', …): an aborted TLS handshake would otherwise crash the process",
    );
  }
  if (check.bsiProfile === true && !tlsOff) warnings.push(...bsiServerWarnings(options));
  return warnings;
}

const SERVER_FIELDS = {
  key: 'any',
  cert: 'any',
  pfx: 'any',
  SNICallback: 'any',
  sniOptions: 'any',
  minVersion: 'string',
  secure: 'boolean',
  hideSTARTTLS: 'boolean',
  disabledCommands: 'array',
  // Read for the BSI profile check (`bsiProfile: true`).
  ciphers: 'string',
  ecdhCurve: 'string',
  sigalgs: 'string',
  maxVersion: 'string',
} as const;

function refuse(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid option ${path} ${describeValue(value)}: ${why}`, {
    path,
    value,
  });
}

// The 'error' listeners of the server, or undefined without a server.
function listenerCount(server: unknown): number | undefined {
  if (server === undefined) return undefined;
  try {
    const count: unknown = (server as { listenerCount(event: string): unknown }).listenerCount('error');
    if (typeof count === 'number') return count;
  } catch {
    // refused below
  }
  throw refuse('server', typeof server, 'must be the SMTPServer (an EventEmitter)');
}
