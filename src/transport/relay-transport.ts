import type { ConnectionOptions } from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ConnectHook } from '../dns/types.js';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import type { Policy } from '../policy/policy.js';
import type { TlsVersion } from '../policy/types.js';
import type { WhitelistSource } from '../whitelist/source.js';
import { refuseBypassOptions } from './bypass-options.js';
import { deliverRelay, type RecipientProtection, type RelayContext } from './deliver-relay.js';
import { ForcedTlsTransport } from './forced-tls-transport.js';
import { openSession, SessionError } from './open-session.js';
import { settle } from './outcome.js';
import { decideAll } from './plan.js';
import type { PreparedMessage } from './prepared-message.js';
import type { RecipientTlsCheck } from './recipient-check.js';
import { SessionPool } from './session-pool.js';
import type { AttemptListener, Timeouts } from './types.js';
import * as check from './validate-options.js';
import { readWhitelist } from './whitelist-source.js';

/** Options of {@link createRelayTransport}. */
export interface RelayTransportOptions {
  readonly policy: Policy;
  readonly whitelist?: WhitelistSource;
  /** The relay (smarthost) host name; its certificate is verified against it. */
  readonly host: string;
  /** @default 465 when `secure`, else 587 */
  readonly port?: number;
  /** Implicit TLS (port 465). Otherwise STARTTLS, which is then mandatory. @default port === 465 */
  readonly secure?: boolean;
  /** Credentials, sent only after the relay's TLS passed its checks. */
  readonly auth?: SMTPConnection.AuthenticationType;
  /** Further TLS options (`ca`, `ciphers`, `minVersion` ≥ the policy's, `servername`). */
  readonly tls?: ConnectionOptions;
  /** Accept a relay certificate that does not verify (`tls.rejectUnauthorized: false`). @default false */
  readonly allowUnverifiedRelay?: boolean;
  /**
   * How recipients that require TLS are protected beyond the relay (the onward hop is outside this
   * connection). Required: the host must choose.
   * - `requiretls`: send them with REQUIRETLS (RFC 8689); refused with `EREQUIRETLS` when the relay
   *   does not offer it after STARTTLS.
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
  readonly onAttempt?: AttemptListener;
  readonly clock?: () => Date;
}

const PROTECTIONS: readonly string[] = ['requiretls', 'check-mx', 'trust-relay'];

/**
 * Sending through the practice's relay with TLS forced on every connection to it. Refuses, at
 * construction and with `EPOLICY` naming the option, anything that would bypass TLS.
 *
 * @example
 * ```ts
 * const transporter = nodemailer.createTransport(
 *   createRelayTransport({ policy, host: 'smtp.kanzlei.de', port: 465, auth, recipientProtection: 'requiretls' }),
 * );
 * ```
 */
export function createRelayTransport(options: RelayTransportOptions): ForcedTlsTransport {
  check.requirePolicy(options.policy);
  const raw = options as unknown as Readonly<Record<string, unknown>>;
  const policyMin: TlsVersion = options.policy.config.outbound?.minVersion ?? 'TLSv1.2';
  const allowUnverified = options.allowUnverifiedRelay === true;
  refuseBypassOptions(raw, policyMin, allowUnverified);
  if (typeof options.host !== 'string' || options.host.length === 0)
    check.invalid('host', options.host, 'required');
  if (!PROTECTIONS.includes(options.recipientProtection)) {
    check.invalid(
      'recipientProtection',
      options.recipientProtection,
      `must be one of ${PROTECTIONS.join(', ')}`,
    );
  }
  if (options.recipientProtection === 'check-mx' && typeof options.checkRecipient !== 'function') {
    check.invalid('checkRecipient', options.checkRecipient, "required for recipientProtection 'check-mx'");
  }
  const port = check.portNumber('port', options.port, options.secure === true ? 465 : 587);
  const secure = options.secure ?? port === 465;
  const name = options.name === undefined ? undefined : check.ehloName('name', options.name);
  const { ca, minVersion, rejectUnauthorized: _r, ...tls } = options.tls ?? {};
  const pooled = options.pool === true;
  const pool = new SessionPool(
    {
      maxConnections: check.positiveInteger('maxConnections', options.maxConnections, 5),
      maxMessages: pooled ? check.positiveInteger('maxMessages', options.maxMessages, 100) : 1,
      idleTimeout: pooled ? check.positiveInteger('idleTimeout', options.idleTimeout, 5000) : 0,
    },
    () => transport.emit('idle'),
  );
  const spec = {
    key: 'relay',
    host: options.host,
    implicitTls: secure,
    requirement: {
      level: 'verify' as const,
      minVersion: (minVersion as TlsVersion | undefined) ?? policyMin,
      fingerprints: [],
      allowUnverified,
    },
    ...(name === undefined ? {} : { name }),
    timeouts: check.timeouts(options.timeouts),
    ...(ca === undefined ? {} : { ca: ([] as unknown[]).concat(ca).map(String) }),
    tls,
    ...(options.auth === undefined ? {} : { auth: options.auth }),
  };
  const ctx: RelayContext = {
    pool,
    spec,
    port,
    connect: options.connect,
    protection: options.recipientProtection,
    check: options.checkRecipient,
    emit: (attempt) => transport.reportAttempt(attempt, options.onAttempt),
  };
  const clock = options.clock ?? (() => new Date());
  const deliver = async (message: PreparedMessage) => {
    const whitelist = await readWhitelist(options.whitelist);
    const planned = decideAll(options.policy, message.to, whitelist, clock());
    const reports = await deliverRelay(ctx, planned, message);
    const order = new Map(message.to.map((address, i) => [address, i]));
    reports.sort((a, b) => (order.get(a.recipient) ?? 0) - (order.get(b.recipient) ?? 0));
    const outcome = settle(message, { mode: 'relay', testing: false, recipients: reports });
    if ('error' in outcome) throw outcome.error;
    return outcome.info;
  };
  const verify = async (): Promise<true> => {
    const target = options.connect ? await options.connect(options.host, port) : { host: options.host, port };
    try {
      (await openSession({ ...spec, key: 'verify', address: target.host, port: target.port })).close();
      return true;
    } catch (error) {
      if (!(error instanceof SessionError)) throw error;
      throw new ForcedTlsError(error.classified.code, error.classified.message, { cause: error });
    }
  };
  const transport: ForcedTlsTransport = new ForcedTlsTransport('forced-tls-relay', deliver, pool, verify);
  return transport;
}
