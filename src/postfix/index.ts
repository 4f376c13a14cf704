export type { DelayReasonMeaning } from './delay-reason.js';
export { readDelayReason } from './delay-reason.js';
export type { InboundPolicyAnswer, InboundPolicyOptions } from './inbound-policy.js';
export { createInboundPolicy } from './inbound-policy.js';
export type { BoundAddress, ListenAddress } from './listen.js';
export type { MasterCfOptions } from './master-cf.js';
export { masterCfTransports, routedRequirements } from './master-cf.js';
export { postfixMatchNames } from './mta-sts-reply.js';
export type { NetstringProblem, NetstringResult } from './netstring.js';
export { encodeNetstring, NetstringDecoder } from './netstring.js';
export type { NextHop } from './next-hop.js';
export { parseNextHop } from './next-hop.js';
export type { PolicyDelegationServer, PolicyDelegationServerOptions } from './policy-delegation-server.js';
export { createPolicyDelegationServer } from './policy-delegation-server.js';
export type {
  PolicyAttributes,
  PolicyRequestLimits,
  PolicyRequestProblem,
  PolicyRequestResult,
} from './policy-request-reader.js';
export { PolicyRequestReader } from './policy-request-reader.js';
export type { PolicySource } from './policy-source.js';
export type { ParsedPostfixVersion, PostfixVersion } from './postfix-version.js';
export { DEFAULT_POSTFIX_VERSION, parsePostfixVersion } from './postfix-version.js';
export type { QueuedMessage, QueuedRecipient } from './postqueue.js';
export { parsePostqueueJson } from './postqueue.js';
export type { ProtocolServer } from './protocol-server.js';
export { MAX_DANE_HOSTS } from './published-lookup.js';
export type { PublishedBasis, PublishedTlsAnswer } from './published-policy.js';
export { publishedTlsPolicy } from './published-policy.js';
export type {
  PublishedDane,
  PublishedDaneHost,
  PublishedDaneStatus,
  PublishedFacts,
  PublishedMtaSts,
} from './published-types.js';
export type { QueuedAt, QueuedTlsRefusal, QueueScan } from './queue-refusals.js';
export { queuedTlsRefusals } from './queue-refusals.js';
export { MTA_STS_RECHECK_INTERVAL_MS } from './recheck-limiter.js';
export type { ProtocolErrorEvent } from './server-connections.js';
export type { SocketmapReply } from './socketmap-reply.js';
export { formatSocketmapReply, MAX_SOCKETMAP_REPLY } from './socketmap-reply.js';
export type {
  SocketmapLookupEvent,
  SocketmapServer,
  SocketmapServerOptions,
  SocketmapTable,
} from './socketmap-server.js';
export { createSocketmapServer } from './socketmap-server.js';
export type { AttributeRule, PostfixTlsLevel } from './tls-policy-attributes.js';
export { POLICY_ATTRIBUTES } from './tls-policy-attributes.js';
export type { PostfixTlsAttribute, PostfixTlsPolicy } from './tls-policy-reply.js';
export { formatTlsPolicy, tlsPolicyForRequirement } from './tls-policy-reply.js';
export type { TlsPolicyAnswer, TlsPolicyTable, TlsPolicyTableOptions } from './tls-policy-table.js';
export { createTlsPolicyTable } from './tls-policy-table.js';
export { DEFAULT_TRANSPORT_PREFIX, sameRequirement, transportName } from './transport-names.js';
export type { TransportAnswer, TransportTable, TransportTableOptions } from './transport-table.js';
export { createTransportTable } from './transport-table.js';
