/**
 * nodemailer transports that never downgrade: `forceTls` for the transporter an app already has,
 * `createRelayTransport` (through the practice's relay) and `createDirectTransport` (straight to each
 * recipient's MX hosts). Needs nodemailer 6.9 to 10 as a peer.
 *
 * @module forced-tls/nodemailer
 */
export type { ConnectHook, ConnectTarget, MxRecord, Resolver } from '../dns/index.js';
export type { WhitelistSource } from '../whitelist/source.js';
export type { DirectTransportOptions } from './direct/direct-transport.js';
export { createDirectTransport } from './direct/direct-transport.js';
export type { Deliver } from './forced-tls-transport.js';
export { ForcedTlsTransport } from './forced-tls-transport.js';
export { DEFAULT_TIMEOUTS } from './options.js';
export type { ForcedTlsSentMessageInfo, RejectedRecipientError } from './outcome.js';
export type { RecipientProtection } from './relay/deliver-relay.js';
export { forceTls } from './relay/force-tls.js';
export type { RecipientCheckResult, RecipientTlsCheck } from './relay/mx-check-types.js';
export type { NodemailerCompatibleError } from './relay/nodemailer-contract.js';
export { createProbeCheck } from './relay/probe-check.js';
export type { ForceTlsOptions, RelayTransportOptions } from './relay/relay-options.js';
export { createRelayTransport } from './relay/relay-transport.js';
export type {
  AchievedTls,
  AttemptListener,
  DecisionSummary,
  DeliveryAttempt,
  RecipientReport,
  RecipientState,
  RelayProtection,
  Timeouts,
  TlsDeliveryReport,
  TlsFailure,
  WouldRefuse,
} from './types.js';
