import { argumentError, readShape } from '../errors/index.js';
import { covers } from './decide.js';
import { explainDecision } from './explain.js';
import { MatchIndex } from './match-index.js';
import { normalizeDomain } from './normalize.js';
import { isPolicy, type Policy } from './policy.js';
import type { DecisionSource, DomainDecision, PolicyRule, TlsLevel, TlsVersion } from './types.js';
import type { WhitelistEntry } from './whitelist-entry.js';
import { isWhitelistIndex, type WhitelistIndex } from './whitelist-index.js';

/** Options of {@link decideDomain}. */
export interface DomainDecisionOptions {
  /** Whitelist entries to apply; only `domain` and `subdomains` entries can match. */
  readonly whitelist?: WhitelistIndex;
  /** @default new Date() */
  readonly now?: Date;
  /** `subdomains` decides for any subdomain of `domain` rather than for `domain`. @default 'domain' */
  readonly scope?: 'domain' | 'subdomains';
}

const NO_FINGERPRINTS: readonly string[] = Object.freeze([]);

class Domain implements DomainDecision {
  readonly direction = 'outbound' as const;
  readonly tlsRequired: boolean;

  constructor(
    readonly domain: string,
    readonly scope: 'domain' | 'subdomains',
    readonly level: TlsLevel,
    readonly minVersion: TlsVersion,
    readonly fingerprints: readonly string[],
    readonly source: DecisionSource,
    readonly rule: PolicyRule | undefined,
    readonly entry: WhitelistEntry | undefined,
    readonly requiredLevel: TlsLevel,
    readonly whitelistable: boolean,
  ) {
    this.tlsRequired = level !== 'may';
  }

  explain(): string {
    return explainDecision(this);
  }
}

// The outbound domain and subdomain rules of a policy, indexed once per policy object.
const indexes = new WeakMap<Policy, MatchIndex<PolicyRule>>();

function domainRules(policy: Policy): MatchIndex<PolicyRule> {
  let index = indexes.get(policy);
  if (index === undefined) {
    index = new MatchIndex<PolicyRule>();
    for (const rule of policy.rules) {
      if (rule.direction === 'outbound' && rule.scope !== 'address') index.add(rule);
    }
    indexes.set(policy, index);
  }
  return index;
}

const OPTION_FIELDS = { whitelist: 'object', now: 'date', scope: ['domain', 'subdomains'] } as const;

// Read once into a plain copy; a whitelist must be an index (from createWhitelistIndex or snapshot()).
function readOptions(input: unknown): DomainDecisionOptions {
  const options = readShape(input, OPTION_FIELDS, {
    subject: 'decideDomain option',
  }) as DomainDecisionOptions;
  if (options.whitelist !== undefined && !isWhitelistIndex(options.whitelist)) {
    const what = 'a WhitelistIndex (from createWhitelistIndex or snapshot())';
    throw argumentError('whitelist', options.whitelist, what, 'EPOLICY', 'decideDomain option');
  }
  return options;
}

/**
 * The outbound decision for a destination domain: the most specific domain or subdomain rule,
 * else the outbound default, lowered to `may` by a domain or subdomain whitelist entry at least
 * as specific as that rule. Address rules and address entries never apply (no address is known);
 * a mail server serves them by routing those recipients apart. Pure; throws `EADDRESS` for a
 * domain that is not a host name.
 *
 * @example
 * ```ts
 * const policy = createPolicy({ outbound: { default: 'may', rules: [{ match: '*.bank.de', level: 'verify' }] } });
 * decideDomain(policy, 'mx.bank.de').level; // 'verify'
 * decideDomain(policy, 'bank.de', { scope: 'subdomains' }).level; // 'verify'
 * decideDomain(policy, 'bank.de').level; // 'may'
 * ```
 */
export function decideDomain(
  policy: Policy,
  domain: string,
  input: DomainDecisionOptions = {},
): DomainDecision {
  if (!isPolicy(policy)) throw argumentError('policy', policy, 'a Policy from createPolicy()');
  const options = readOptions(input);
  const scope = options.scope ?? 'domain';
  // `.de` is a valid question (any domain under de), a single-label domain is not a destination.
  const name = normalizeDomain(domain, { allowSingleLabel: scope === 'subdomains' });
  const rules = domainRules(policy);
  const rule = scope === 'domain' ? rules.find(undefined, name) : rules.findSubdomainsOf(name);
  const defaults = policy.defaults.outbound;
  const required = rule?.level ?? defaults.level;
  const whitelistable = rule?.whitelistable ?? defaults.whitelistable;
  const minVersion = rule?.minVersion ?? defaults.minVersion;
  const { whitelist } = options;
  if (required !== 'may' && whitelistable && whitelist !== undefined && whitelist.size > 0) {
    const now = options.now ?? new Date();
    const entry =
      scope === 'domain'
        ? whitelist.match('outbound', undefined, name, now)
        : whitelist.matchSubdomains('outbound', name, now);
    if (entry !== undefined && covers(entry, rule)) {
      const lowered = ['may', minVersion, NO_FINGERPRINTS, 'whitelist', rule, entry] as const;
      return new Domain(name, scope, ...lowered, required, true);
    }
  }
  const fingerprints = rule?.fingerprints ?? NO_FINGERPRINTS;
  const source = rule === undefined ? 'default' : 'rule';
  return new Domain(
    name,
    scope,
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
