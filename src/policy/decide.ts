import type { WhitelistEntry } from '../whitelist/types.js';
import { type DecisionFields, Inbound, Outbound } from './decision.js';
import type { MatchIndex } from './match-index.js';
import { specificity } from './specificity.js';
import type { InboundDecision, OutboundDecision, PolicyRule } from './types.js';
import type { DirectionSettings } from './validate.js';
import type { WhitelistIndex } from './whitelist-index.js';

const ANY = (): boolean => true;

/** One direction's settings with its rules indexed. */
export interface CompiledDirection {
  readonly settings: DirectionSettings;
  readonly rules: MatchIndex<PolicyRule>;
}

/**
 * The decision itself: pure and synchronous. `addressKey` is `local@domain` with a lowercased
 * local part (undefined for the null sender), `domain` the normalized domain.
 */
export function decideFields(
  compiled: CompiledDirection,
  addressKey: string | undefined,
  domain: string,
  whitelist: WhitelistIndex | undefined,
  now: Date,
): DecisionFields {
  const { settings } = compiled;
  const rule = compiled.rules.find(addressKey, domain, ANY);
  const level = rule?.level ?? settings.level;
  const whitelistable = rule ? rule.whitelistable : settings.whitelistable;
  const base = {
    domain,
    minVersion: rule?.minVersion ?? settings.minVersion,
    fingerprints: rule?.fingerprints ?? [],
    rule,
    requiredLevel: level,
    whitelistable,
  };
  if (level !== 'may' && whitelistable && whitelist !== undefined && whitelist.size > 0) {
    const entry = whitelist.match(settings.direction, addressKey, domain, now);
    if (entry !== undefined && covers(entry, rule)) {
      return { ...base, level: 'may', fingerprints: [], source: 'whitelist', entry };
    }
  }
  return { ...base, level, source: rule ? 'rule' : 'default', entry: undefined };
}

// An entry lowers a requirement only if it is at least as specific as the rule that set it.
function covers(entry: WhitelistEntry, rule: PolicyRule | undefined): boolean {
  if (rule === undefined) return true;
  return specificity(entry.scope, entry.value) >= specificity(rule.scope, rule.value);
}

export function outboundDecision(recipient: string, fields: DecisionFields): OutboundDecision {
  return new Outbound(recipient, fields);
}

export function inboundDecision(sender: string, fields: DecisionFields): InboundDecision {
  return new Inbound(sender, fields);
}
