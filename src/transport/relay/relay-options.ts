import type { ConnectionOptions } from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ConnectHook } from '../../dns/types.js';
import type { Clock } from '../../internal/clock.js';
import type { Policy } from '../../policy/policy.js';
import type { WhitelistSource } from '../../whitelist/source.js';
import type { AttemptListener, Timeouts } from '../types.js';
import type { RecipientProtection } from './deliver-relay.js';
import type { RecipientTlsCheck } from './mx-check-types.js';

/** Options of {@link createRelayTransport}. */
export interface RelayTransportOptions {
  /** The policy (from `createPolicy`): it decides which recipients require TLS and how much. */
  readonly policy: Policy;
  /**
   * The whitelist (from `createWhitelist`); read once per message. A recipient it lowers to `may` needs no
   * protection beyond the relay (`relayProtection: 'none'`: no REQUIRETLS, no MX check); the connection to
   * the relay stays TLS. @default none
   */
  readonly whitelist?: WhitelistSource;
  /** The relay (smarthost) host name; its certificate is verified against it. */
  readonly host: string;
  /** @default 465 when `secure`, else 587 */
  readonly port?: number;
  /** Implicit TLS (port 465). Otherwise STARTTLS, which is then mandatory. @default port === 465 */
  readonly secure?: boolean;
  /** Credentials, sent only after the relay's TLS passed its checks. */
  readonly auth?: SMTPConnection.AuthenticationType;
  /**
   * Further TLS options, allow-listed: `ca` (replaces Node's root store, as in nodemailer), `servername`,
   * `ciphers` (no NULL suites, no `@SECLEVEL=0`), `key`, `cert`, `pfx`, `passphrase`, `minVersion` and
   * `maxVersion` (each ≥ the policy's minimum), `rejectUnauthorized`. Any other key is refused (`EPOLICY`).
   */
  readonly tls?: ConnectionOptions;
  /** The name the relay certificate must carry (and SNI). @default `tls.servername`, else `host` */
  readonly servername?: string;
  /** AUTH mechanism when `auth.method` is not set (nodemailer's `authMethod`). @default the relay's first supported */
  readonly authMethod?: string;
  /** Accept a relay certificate that does not verify (`tls.rejectUnauthorized: false`). @default false */
  readonly allowUnverifiedRelay?: boolean;
  /**
   * Offer only the BSI TR-02102-2 profile (`bsiTlsOptions()`: its suites, groups and signature
   * algorithms) to the relay, so a relay outside it fails the handshake instead of reaching a weaker
   * session; the report's `tier` and `tierReasons` judge the session either way. Overrides
   * `tls.ciphers`. @default false
   */
  readonly bsiProfile?: boolean;
  /**
   * How recipients that require TLS are protected beyond the relay (the onward hop is outside this
   * connection). Required: the host must choose.
   * - `requiretls`: send them with REQUIRETLS (RFC 8689); refused with `EREQUIRETLS` when the relay
   *   does not offer it after STARTTLS. Needs nodemailer 7.0.12 or newer (`EUNSUPPORTED` at
   *   construction otherwise).
   * - `check-mx`: check each recipient domain's MX with `checkRecipient` first; refused with
   *   `ERECIPIENTTLS` when the check fails.
   * - `trust-relay`: rely on the relay to enforce TLS; the report says exactly that.
   */
  readonly recipientProtection: RecipientProtection;
  /** The pre-send check for `check-mx` (e.g. from `forced-tls/probe`). */
  readonly checkRecipient?: RecipientTlsCheck;
  /** EHLO name. @default nodemailer's */
  readonly name?: string;
  /** @default { connect: 10000, greeting: 10000, tls: 10000, reply: 30000 } */
  readonly timeouts?: Partial<Timeouts>;
  /** Keep connections open for reuse. @default false */
  readonly pool?: boolean;
  /** @default 5 */
  readonly maxConnections?: number;
  /** @default 100 */
  readonly maxMessages?: number;
  /** @default 5000 */
  readonly idleTimeout?: number;
  /** Maps the relay host name to an address and port (tests). */
  readonly connect?: ConnectHook;
  /** Called after each session with the relay, with its TLS evidence. */
  readonly onAttempt?: AttemptListener;
  /** Clock for whitelist expiry and each attempt's `startedAt`. @default () => new Date() */
  readonly clock?: Clock;
}

/** Options of {@link forceTls}: relay-mode options except what is read from the transporter. */
export type ForceTlsOptions = Omit<RelayTransportOptions, 'host' | 'port' | 'secure' | 'auth' | 'pool'>;
