import { judgeBsiProfile, type SessionFacts } from '../policy/index.js';
import type { HostBsi } from './bsi-types.js';
import type { OfferedConversation } from './host-offers.js';

/** Copies the defined values only (the result is JSON data under `exactOptionalPropertyTypes`). */
function defined<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * The BSI TR-02102-2 verdict on a host's session (`judgeBsiProfile`, the same judgement `assessTier`
 * makes), with the values judged and the offer the session came from. Without a session the verdict
 * leaves every aspect unchecked.
 */
export function hostBsi(conversation: OfferedConversation): HostBsi {
  const facts: SessionFacts = conversation.session?.facts ?? { protocol: null };
  return {
    ...judgeBsiProfile(facts),
    handshake: conversation.handshake,
    ...(conversation.profileError === undefined ? {} : { profileError: conversation.profileError }),
    ...defined({
      protocol: facts.protocol ?? undefined,
      cipher: facts.cipher,
      group: facts.group,
      groupType: facts.groupType,
      groupBits: facts.groupBits,
      keyType: facts.peerKeyType,
      keyBits: facts.peerKeyBits,
      keyCurve: facts.peerKeyCurve,
    }),
  };
}
