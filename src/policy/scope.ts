/** Mail direction a rule or whitelist entry applies to. */
export type Direction = 'outbound' | 'inbound';

/** What a rule pattern or whitelist entry matches. */
export type MatchScope = 'address' | 'domain' | 'subdomains';
