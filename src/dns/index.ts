export { createNodeResolver } from './node-resolver.js';
export type { ConnectHook, ConnectTarget, MxRecord, Resolver } from './types.js';
