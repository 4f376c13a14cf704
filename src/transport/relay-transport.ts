import { resolveConnectTarget } from '../dns/connect-target.js';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import { REQUIRETLS_SINCE, requireNodemailer } from '../internal/nodemailer-version.js';
import type { TlsVersion } from '../policy/types.js';
import { refuseBypassOptions } from './bypass-options.js';
import { deliverRelay, type RelayContext } from './deliver-relay.js';
import { ForcedTlsTransport } from './forced-tls-transport.js';
import { openSession, SessionError } from './open-session.js';
import { settle } from './outcome.js';
import { decideAll } from './plan.js';
import type { PreparedMessage } from './prepared-message.js';
import type { RelayTransportOptions } from './relay-options.js';
import { SessionPool } from './session-pool.js';
import { checkTlsOptions } from './tls-options.js';
import * as check from './validate-options.js';
import { readWhitelist } from './whitelist-source.js';

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
  const policyMin: TlsVersion = options.policy.defaults.outbound.minVersion;
  const allowUnverified = options.allowUnverifiedRelay === true;
  refuseBypassOptions(raw);
  const tls = checkTlsOptions(options.tls, policyMin, allowUnverified);
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
  if (options.recipientProtection === 'requiretls') {
    requireNodemailer("'requiretls' (REQUIRETLS)", REQUIRETLS_SINCE, 'recipientProtection');
  }
  const port = check.portNumber('port', options.port, options.secure === true ? 465 : 587);
  const secure = options.secure ?? port === 465;
  const name = options.name === undefined ? undefined : check.ehloName('name', options.name);
  const servername = options.servername ?? tls.servername;
  if (servername !== undefined) check.hostName('servername', servername);
  const auth =
    options.auth && options.authMethod && !options.auth.method
      ? { ...options.auth, method: options.authMethod }
      : options.auth;
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
      minVersion: tls.minVersion ?? policyMin,
      fingerprints: [],
      allowUnverified,
    },
    ...(name === undefined ? {} : { name }),
    timeouts: check.timeouts(options.timeouts),
    ...(servername === undefined ? {} : { servername }),
    // A relay `tls.ca` replaces the root store, as in nodemailer (Node's `ca` semantics).
    tls: tls.ca === undefined ? tls.connection : { ...tls.connection, ca: [...tls.ca] },
    ...(auth === undefined ? {} : { auth }),
  };
  const clock = options.clock ?? (() => new Date());
  const ctx: RelayContext = {
    pool,
    spec,
    port,
    connect: options.connect,
    protection: options.recipientProtection,
    check: options.checkRecipient,
    emit: (attempt) => transport.reportAttempt(attempt, options.onAttempt),
    clock,
  };
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
    const target = await resolveConnectTarget(options.host, port, { connect: options.connect });
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
