/**
 * The inbound guard for smtp-server (`createInboundGuard`), the server options check and the
 * Received-header analysis. Needs smtp-server as a peer.
 *
 * @module forced-tls/inbound
 */
export type { BsiTlsOptions } from '../internal/bsi-tls.js';
export { bsiTlsOptions } from '../internal/bsi-tls.js';
export type { WhitelistSource } from '../whitelist/source.js';
export type { AnalyzeReceivedOptions } from './analyze-received.js';
export { analyzeReceived } from './analyze-received.js';
export type {
  CheckableServerOptions,
  CheckServerOptionsOptions,
  ServerOptionsWarning,
} from './check-server-options.js';
export { checkServerOptions } from './check-server-options.js';
export { createInboundGuard } from './create-inbound-guard.js';
export type {
  InboundGuard,
  InboundGuardOptions,
  InboundReason,
  InboundReport,
} from './guard-types.js';
export type { HeaderMap, ParsedMailLike, ReceivedInput } from './header-input.js';
export type {
  ReceivedAnalysis,
  ReceivedHop,
  ReceivedHopProblem,
  ReceivedRuleCheck,
  ReceivedStatus,
  ReceivedTls,
  ReceivedTlsEvidence,
} from './received-types.js';
export type { GuardReply } from './smtp-reply.js';
export { rejectionReply } from './smtp-reply.js';
