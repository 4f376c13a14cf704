import { Inbound, Outbound } from './decision.js';
import type { MatchIndex } from './match-index.js';
import { specificity } from './specificity.js';
import type { InboundDecision, OutboundDecision, PolicyRule } from './types.js';
import type { DirectionSettings } from './validate.js';
import type { WhitelistEntry } from './whitelist-entry.js';
import { matchWhitelist, type WhitelistIndex } from './whitelist-index.js';

const NO_FINGERPRINTS: readonly string[] = Object.freeze([]);

/** One direction's settings with its rules indexed. */
export interface CompiledDirection {
  readonly settings: DirectionSettings;
  readonly rules: MatchIndex<PolicyRule>;
}

/**
 * The decision itself: pure and synchronous. `addressKey` is `local@domain` with a lowercased
 * local part (undefined for the null sender), `domain` the normalized domain.
 */
export function decide(
  compiled: CompiledDirection,
  who: string,
  addressKey: string | undefined,
  domain: string,
  whitelist: WhitelistIndex | undefined,
  now: Date,
): OutboundDecision | InboundDecision {
  const { settings } = compiled;
  const Kind = settings.direction === 'outbound' ? Outbound : Inbound;
  const rule = compiled.rules.find(addressKey, domain);
  const required = rule === undefined ? settings.level : rule.level;
  const whitelistable = rule === undefined ? settings.whitelistable : rule.whitelistable;
  const minVersion = rule === undefined ? settings.minVersion : rule.minVersion;
  if (required !== 'may' && whitelistable && whitelist !== undefined && whitelist.size > 0) {
    const entry = matchWhitelist(whitelist, settings.direction, addressKey, domain, now);
    if (entry !== undefined && covers(entry, rule)) {
      return new Kind(
        who,
        domain,
        'may',
        minVersion,
        NO_FINGERPRINTS,
        'whitelist',
        rule,
        entry,
        required,
        true,
      );
    }
  }
  const fingerprints = rule === undefined ? NO_FINGERPRINTS : rule.fingerprints;
  const source = rule === undefined ? 'default' : 'rule';
  return new Kind(
    who,
    domain,
    required,
    minVersion,
    fingerprints,
    source,
    rule,
    undefined,
    required,
    whitelistable,
  );
}

/** An entry lowers a requirement only if it is at least as specific as the rule that set it. */
export function covers(entry: WhitelistEntry, rule: PolicyRule | undefined): boolean {
  if (rule === undefined) return true;
  return specificity(entry.scope, entry.value) >= specificity(rule.scope, rule.value);
}
