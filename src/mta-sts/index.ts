export type { CacheEntryProblem } from './cache-entry.js';
export { describeCacheEntryProblem, findCacheEntryProblem } from './cache-entry.js';
export type { MtaStsCacheEntry, MtaStsCacheStore } from './cache-types.js';
export type { DiscoverMtaStsOptions, MtaStsTxtLookup, MtaStsTxtStatus } from './discover.js';
export { discoverMtaSts } from './discover.js';
export type { MtaStsFailure, MtaStsFailureDetails, MtaStsFailureReason } from './failure.js';
export { mtaStsFailure } from './failure.js';
export { MAX_MTA_STS_POLICY_BYTES } from './fetch-failure.js';
export type { FetchMtaStsPolicyOptions } from './fetch-options.js';
export type { MtaStsPolicyFetch } from './fetch-policy.js';
export { MTA_STS_POLICY_PATH } from './fetch-policy.js';
export {
  MTA_STS_CACHE_FILE_FORMAT,
  MTA_STS_CACHE_FILE_VERSION,
} from './file-cache-format.js';
export type { FileMtaStsCacheStoreOptions } from './file-cache-store.js';
export { FileMtaStsCacheStore } from './file-cache-store.js';
export { checkPolicyHostIdentity } from './host-identity.js';
export type { MtaStsLookup } from './lookup.js';
export { fetchMtaStsPolicy, lookupMtaSts } from './lookup.js';
export { MemoryMtaStsCacheStore } from './memory-cache-store.js';
export { matchingMxPattern, mxMatches } from './mx-match.js';
export type { MtaStsPolicyParse, MtaStsPolicyProblem } from './policy-parse.js';
export { isMxPattern, parseMtaStsPolicy } from './policy-parse.js';
export { createMtaStsResolver } from './resolver.js';
export type {
  MtaStsRecheck,
  MtaStsRefreshError,
  MtaStsResolution,
  MtaStsResolver,
  MtaStsResolverOptions,
  MtaStsSource,
} from './resolver-types.js';
export type { MtaStsTxtParse } from './txt-record.js';
export { MTA_STS_TXT_PREFIX, parseMtaStsTxt } from './txt-record.js';
export type { MtaStsMode, MtaStsPolicy, MtaStsResultType } from './types.js';
export { MAX_MTA_STS_MAX_AGE, MTA_STS_MODES, MTA_STS_RESULT_TYPES } from './types.js';
