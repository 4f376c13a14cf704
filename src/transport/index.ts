/**
 * nodemailer transports that never downgrade: `forceTls` for the transporter an app already has,
 * `createRelayTransport` (through the practice's relay) and `createDirectTransport` (straight to each
 * recipient's MX hosts). Needs nodemailer 6.9 to 10 as a peer.
 *
 * @module forced-tls/nodemailer
 */
export type { WhitelistSource } from '../whitelist/source.js';
export type { RecipientProtection } from './deliver-relay.js';
export type { DirectTransportOptions } from './direct-transport.js';
export { createDirectTransport } from './direct-transport.js';
export type { ForceTlsOptions } from './force-tls.js';
export { forceTls } from './force-tls.js';
export type { Deliver } from './forced-tls-transport.js';
export { ForcedTlsTransport } from './forced-tls-transport.js';
export type { ForcedTlsSentMessageInfo, RejectedRecipientError } from './outcome.js';
export { createProbeCheck } from './probe-check.js';
export type {
  RecipientCheckRequirement,
  RecipientCheckResult,
  RecipientTlsCheck,
} from './recipient-check.js';
export type { RelayTransportOptions } from './relay-options.js';
export { createRelayTransport } from './relay-transport.js';
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
export { DEFAULT_TIMEOUTS } from './validate-options.js';
