import type { Decision, DomainDecision, PolicyRule } from './types.js';

const LEVEL_TEXT = {
  may: 'TLS optional (plaintext allowed)',
  encrypt: 'encrypt required',
  verify: 'verify required',
  fingerprint: 'fingerprint required',
  qualified:
    'qualified required (BSI TR-02102-2 profile and a server authenticated by MTA-STS, DANE or a pin)',
} as const;

function where(rule: PolicyRule): string {
  const { file, line, path } = rule.origin;
  if (line !== undefined) return `line ${line} of ${file ?? 'the policy'}`;
  return path;
}

function ruleText(rule: PolicyRule): string {
  const note = rule.note === undefined ? '' : `, "${rule.note}"`;
  return `rule ${rule.pattern} (${where(rule)}${note})`;
}

/**
 * A sentence a person can read, e.g.
 * `a@b.versicherung.de: verify required, TLS ≥ 1.2 by rule *.versicherung.de (line 12 of policy.json); not whitelistable`.
 */
export function explainDecision(decision: Decision | DomainDecision): string {
  const who = subject(decision);
  const min = decision.level === 'may' ? '' : `, TLS ≥ ${decision.minVersion.slice(4)}`;
  const by = decision.rule ? ruleText(decision.rule) : `the ${decision.direction} default`;
  if (decision.source === 'whitelist' && decision.entry) {
    const e = decision.entry;
    const consent = e.consentRef === undefined ? '' : `, consent ${e.consentRef}`;
    const expires = e.expiresAt === undefined ? '' : `, until ${e.expiresAt}`;
    return (
      `${who}: ${LEVEL_TEXT.may}: whitelisted by ${e.scope} entry ${e.value} (id ${e.id}; ` +
      `reason "${e.reason}", approved by ${e.approvedBy}${consent}${expires}); ` +
      `${decision.requiredLevel} would otherwise be required by ${by}`
    );
  }
  const whitelistable =
    decision.level === 'may' ? '' : decision.whitelistable ? '; whitelistable' : '; not whitelistable';
  return `${who}: ${LEVEL_TEXT[decision.level]}${min} by ${by}${whitelistable}`;
}

// Who the decision is about: a recipient, a sender, or a destination domain (`.domain` for its subdomains).
function subject(decision: Decision | DomainDecision): string {
  if ('recipient' in decision) return decision.recipient;
  if ('sender' in decision) return decision.sender || '<>';
  return decision.scope === 'subdomains' ? `.${decision.domain} (any subdomain)` : decision.domain;
}
