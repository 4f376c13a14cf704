// Placeholder: the engine lands in the next commit.
import type { WhitelistEntry } from '../whitelist/types.js';
import type { InboundDecision, OutboundDecision, PolicyConfig, PolicyRule } from './types.js';

export interface WhitelistIndex {
  readonly size: number;
}
export interface DecideOptions {
  readonly whitelist?: WhitelistIndex;
  readonly now?: Date;
}
export interface Policy {
  readonly rules: readonly PolicyRule[];
  outbound(recipient: string, options?: DecideOptions): OutboundDecision;
  inbound(sender: string, options?: DecideOptions): InboundDecision;
}
export declare function createPolicy(config: PolicyConfig, options?: { file?: string }): Policy;
export declare function createWhitelistIndex(entries: readonly WhitelistEntry[]): WhitelistIndex;
