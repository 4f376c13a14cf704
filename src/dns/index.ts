export {
  type ConnectTargetOptions,
  MAX_ADDRESSES_PER_HOST,
  resolveConnectTarget,
  resolveConnectTargets,
} from './connect-target.js';
export { addressRefusal, type DnsRefusal, mailHostsRefusal } from './dns-refusal.js';
export {
  type MailHost,
  type MailHostOptions,
  type MailHostResolution,
  type MailHosts,
  resolveMailHosts,
} from './mail-hosts.js';
export { createNodeResolver } from './node-resolver.js';
export type { ConnectHook, ConnectTarget, MxRecord, Resolver } from './types.js';
