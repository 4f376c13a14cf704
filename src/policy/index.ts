export { explainDecision } from './explain.js';
export { normalizeFingerprint } from './fingerprint.js';
export { evaluateInbound } from './inbound-verdict.js';
export { parsePolicy } from './load.js';
export type { NormalizedAddress, NormalizedPattern } from './normalize.js';
export { isPublicSuffix, normalizeAddress, normalizeDomain, normalizePattern } from './normalize.js';
export type { CreatePolicyOptions, DecideOptions, DirectionDefaults, Policy } from './policy.js';
export { createPolicy, isPolicy } from './policy.js';
export type {
  EnforcedRequirement,
  RequirementContext,
  TlsFacts,
  TlsRequirement,
  TlsShortfall,
} from './requirement.js';
export { enforcedRequirement, meetsMinVersion, tlsShortfall, tlsVersionRank } from './requirement.js';
export type {
  Decision,
  DecisionSource,
  Direction,
  DirectionConfig,
  InboundDecision,
  InboundTlsState,
  InboundVerdict,
  MatchScope,
  OutboundDecision,
  PolicyConfig,
  PolicyRule,
  RuleConfig,
  RuleOrigin,
  TlsLevel,
  TlsVersion,
} from './types.js';
export { TLS_LEVELS, TLS_VERSIONS } from './types.js';
export type { WhitelistIndex } from './whitelist-index.js';
export { createWhitelistIndex, EMPTY_WHITELIST, isEntryActive, isWhitelistIndex } from './whitelist-index.js';
