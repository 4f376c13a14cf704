export { createDnssecResolver } from './create-dnssec-resolver.js';
export { normalizeDnsName } from './dns-name.js';
export type { DaneHostOptions, DaneHostResult } from './lookup-dane-host.js';
export { lookupDaneHost } from './lookup-dane-host.js';
export type { DnssecResolverOptions } from './options.js';
export { DNSSEC_RESOLVER_DEFAULTS } from './options.js';
export type {
  DnssecAnswer,
  DnssecFailure,
  DnssecLookupOptions,
  DnssecRecordMap,
  DnssecRecordType,
  DnssecResolver,
  DnssecResolverStats,
  ExtendedDnsError,
} from './types.js';
