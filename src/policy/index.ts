export type { BsiAspect, BsiFacts, BsiShortfall, BsiVerdict } from './bsi-profile.js';
export { judgeBsiProfile } from './bsi-profile.js';
export type { BsiProfile } from './bsi-tables.js';
export { BSI_PROFILE } from './bsi-tables.js';
export type { DomainDecisionOptions } from './domain-decision.js';
export { decideDomain } from './domain-decision.js';
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
  PublishedAuthentication,
  RequirementContext,
  RequirementInput,
  TlsFacts,
  TlsRequirement,
  TlsShortfall,
} from './requirement.js';
export { enforcedRequirement, meetsMinVersion, tlsShortfall, tlsVersionRank } from './requirement.js';
export type { GiveUp, RetryLater, RetryLimits, RetryScheduleInput, RetryStep } from './retry-schedule.js';
export { RETRY_SCHEDULE, retrySchedule } from './retry-schedule.js';
export type {
  Authentication,
  ProvenAuthentication,
  SessionFacts,
  Tier,
  TierAssessment,
  TierReason,
  TierReasonCode,
} from './tier.js';
export { assessTier, TIERS } from './tier.js';
export type {
  Decision,
  DecisionSource,
  Direction,
  DirectionConfig,
  DomainDecision,
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
export type { WhitelistEntry } from './whitelist-entry.js';
export type { WhitelistIndex } from './whitelist-index.js';
export { createWhitelistIndex, EMPTY_WHITELIST, isEntryActive, isWhitelistIndex } from './whitelist-index.js';
