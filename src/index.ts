/**
 * The policy engine, the whitelist and its stores, the error codes and the DNS helpers:
 * everything that does no SMTP. The transports, the probe, the inbound guard and the test kit are
 * on subpaths.
 *
 * @module forced-tls
 */
export type { ConnectHook, ConnectTarget, MxRecord, Resolver } from './dns/index.js';
export { createNodeResolver } from './dns/index.js';
export type {
  DeliveryPhase,
  ErrorCode,
  ErrorCodeInfo,
  ForcedTlsErrorOptions,
  MessageLanguage,
  NotWhitelistableRecipientFailure,
  RecipientCode,
  RecipientFailure,
  RecipientFailureFields,
  TlsRefusalCode,
  WhitelistableRecipientFailure,
  WhitelistRequest,
} from './errors/index.js';
export {
  ERROR_CODES,
  ForcedTlsError,
  isErrorCode,
  isForcedTlsError,
  isTlsRefusalCode,
  userMessage,
  whitelistHint,
} from './errors/index.js';
export type {
  CreatePolicyOptions,
  DecideOptions,
  Decision,
  DecisionSource,
  Direction,
  DirectionConfig,
  DirectionDefaults,
  EnforcedRequirement,
  InboundDecision,
  InboundTlsState,
  InboundVerdict,
  MatchScope,
  NormalizedAddress,
  NormalizedPattern,
  OutboundDecision,
  Policy,
  PolicyConfig,
  PolicyRule,
  RequirementContext,
  RuleConfig,
  RuleOrigin,
  TlsFacts,
  TlsLevel,
  TlsRequirement,
  TlsShortfall,
  TlsVersion,
  WhitelistIndex,
} from './policy/index.js';
export {
  createPolicy,
  createWhitelistIndex,
  EMPTY_WHITELIST,
  enforcedRequirement,
  evaluateInbound,
  explainDecision,
  isEntryActive,
  isPublicSuffix,
  meetsMinVersion,
  normalizeAddress,
  normalizeDomain,
  normalizeFingerprint,
  normalizePattern,
  parsePolicy,
  TLS_LEVELS,
  TLS_VERSIONS,
  tlsShortfall,
  tlsVersionRank,
} from './policy/index.js';
export { loadPolicyFile } from './policy-file/load-policy-file.js';
export type {
  Clock,
  FileWhitelistStoreOptions,
  Whitelist,
  WhitelistChange,
  WhitelistEntry,
  WhitelistEntryInput,
  WhitelistListOptions,
  WhitelistOptions,
  WhitelistSource,
  WhitelistStore,
} from './whitelist/index.js';
export {
  createWhitelist,
  FileWhitelistStore,
  MAX_NAME_LENGTH,
  MAX_REASON_LENGTH,
  MemoryWhitelistStore,
  readWhitelistSource,
  WHITELIST_FILE_FORMAT,
  WHITELIST_FILE_VERSION,
} from './whitelist/index.js';
