import type { DaneHostResult } from '../dnssec/index.js';
import { hostBsi } from './host-bsi.js';
import type { OfferedConversation } from './host-offers.js';
import { hostRefusal } from './host-refusal.js';
import { hostTier, tierFacts } from './host-tier.js';
import { judgeHostDane } from './probe-dane.js';
import { type DomainMtaSts, hostMtaSts } from './probe-mta-sts.js';
import type { HostProbe } from './types.js';

/** What the domain-wide lookups contribute to judging one host. */
export interface HostContext {
  readonly domain: string;
  readonly mtaSts: DomainMtaSts;
  /** The host's DNSSEC lookups, when DANE is checked. */
  readonly dane: DaneHostResult | undefined;
  readonly now: Date;
}

/**
 * Judges one host after its conversation: the BSI verdict, MTA-STS (pattern and requirements), DANE
 * (records, match, verdict), the facts and tier, and whether a compliant sender must skip it. Pure.
 */
export function judgeHost(conversation: OfferedConversation, context: HostContext): HostProbe {
  const host = conversation.probe;
  const tls = conversation.session?.facts;
  const { resolution } = context.mtaSts;
  const mtaSts = hostMtaSts(resolution, host, tls);
  const dane =
    context.dane === undefined
      ? undefined
      : judgeHostDane(context.dane, context.domain, conversation.session?.chain, context.now);
  const facts = tierFacts(tls, resolution, mtaSts, dane);
  const refused = hostRefusal(host, dane, mtaSts);
  return {
    ...host,
    facts,
    bsi: hostBsi(conversation),
    ...(mtaSts === undefined ? {} : { mtaSts }),
    ...(dane === undefined ? {} : { dane }),
    tier: hostTier(host, facts, dane),
    ...(refused === undefined ? {} : { refused }),
  };
}
