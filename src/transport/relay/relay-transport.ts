import { resolveConnectTarget } from '../../dns/connect-target.js';
import { ForcedTlsError } from '../../errors/forced-tls-error.js';
import { REQUIRETLS_SINCE, requireNodemailer } from '../../internal/nodemailer-version.js';
import type { TlsVersion } from '../../policy/index.js';
import { createDeliver } from '../deliver.js';
import { ForcedTlsTransport } from '../forced-tls-transport.js';
import * as check from '../options.js';
import { openSession, SessionError } from '../session/open-session.js';
import { SessionPool } from '../session/session-pool.js';
import { refuseBypassOptions } from './bypass-options.js';
import { deliverRelay, type RelayContext, relayProtectionOf, routeRelay } from './deliver-relay.js';
import { relayOptions } from './relay-option-shapes.js';
import type { RelayTransportOptions } from './relay-options.js';
import { checkTlsOptions } from './tls-options.js';

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
export function createRelayTransport(input: RelayTransportOptions): ForcedTlsTransport {
  // Read once into plain data with every field's type checked (EPOLICY naming it), so nothing below throws a TypeError.
  const options = relayOptions(input);
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
  const pool = new SessionPool(check.poolLimits(options, { pool: false, maxConnections: 5 }), () =>
    transport.emit('idle'),
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
    bsiProfile: options.bsiProfile === true,
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
  const deliver = createDeliver({
    mode: 'relay',
    testing: false,
    policy: options.policy,
    whitelist: options.whitelist,
    clock,
    route: (planned, message) => routeRelay(ctx, planned, message),
    deliverGroup: (group, message) => deliverRelay(ctx, group, message),
    // One relay: its transactions go one after another.
    sequential: true,
    relayProtection: (p) => relayProtectionOf(ctx, p),
  });
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
