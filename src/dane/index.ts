export { daneRequirement, tlsaLookupNeeded } from './dane-requirement.js';
export { matchTlsa } from './match-tlsa.js';
export type {
  DaneMatch,
  DaneMatched,
  DaneMatchFailure,
  DaneMatchOptions,
  DaneMismatch,
} from './match-types.js';
export { peerCertificateChain } from './peer-chain.js';
export type {
  DaneDnssecStatus,
  DaneHostLookups,
  DaneRequirement,
  DaneRequirementOptions,
  DaneRequirementReason,
  DaneRequirementStatus,
} from './requirement-types.js';
export type {
  DaneSessionAllowed,
  DaneSessionCheck,
  DaneSessionFacts,
  DaneSessionRefused,
} from './session-check.js';
export { checkDaneSession } from './session-check.js';
export { createTlsaRecord, formatTlsa, selectedBytes, tlsaAssociationData } from './tlsa-data.js';
export type { TlsaUsability } from './tlsa-usability.js';
export {
  isUsableTlsa,
  TLSA_MATCHING_TYPE,
  TLSA_SELECTOR,
  TLSA_USAGE,
  tlsaUsability,
} from './tlsa-usability.js';
export type { DaneTlsRptResult, DnssecLookup, DnssecStatus, LookupKind, TlsaRecord } from './types.js';
