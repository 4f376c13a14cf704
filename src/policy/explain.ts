import { describeValue, ForcedTlsError, isRecord, readShape } from '../errors/index.js';
import { type Decision, type DomainDecision, type PolicyRule, TLS_LEVELS, TLS_VERSIONS } from './types.js';

const LEVEL_TEXT = {
  may: 'TLS optional (plaintext allowed)',
  encrypt: 'encrypt required',
  verify: 'verify required',
  fingerprint: 'fingerprint required',
  qualified:
    'qualified required (BSI TR-02102-2 profile and a server authenticated by MTA-STS, DANE or a pin)',
  dane: 'dane required where the recipient publishes usable TLSA records (else TLS optional)',
  'dane-only': 'dane-only required (usable DNSSEC-validated TLSA records and a matching certificate)',
} as const;

// The fields explain() reads, checked once so that a hand-made decision fails with EPOLICY, not a TypeError.
const DECISION_FIELDS = {
  direction: ['outbound', 'inbound'],
  recipient: 'string',
  sender: 'string',
  domain: 'string',
  scope: ['domain', 'subdomains'],
  level: TLS_LEVELS,
  minVersion: TLS_VERSIONS,
  source: ['default', 'rule', 'whitelist'],
  rule: 'object',
  entry: 'object',
  requiredLevel: TLS_LEVELS,
  whitelistable: 'boolean',
} as const;

// Text from a rule or entry: a string as it is, anything else described, never a throw.
function text(holder: unknown, key: string): string {
  if (!isRecord(holder)) return '';
  try {
    const value = holder[key];
    return typeof value === 'string' ? value : value === undefined ? '' : describeValue(value);
  } catch {
    return '(unreadable)';
  }
}

function where(rule: PolicyRule): string {
  const origin = isRecord(rule) ? (rule as unknown as Record<string, unknown>)['origin'] : undefined;
  const line = isRecord(origin) ? origin['line'] : undefined;
  if (typeof line === 'number') return `line ${line} of ${text(origin, 'file') || 'the policy'}`;
  return text(origin, 'path');
}

function ruleText(rule: PolicyRule): string {
  const note = text(rule, 'note');
  return `rule ${text(rule, 'pattern')} (${where(rule)}${note === '' ? '' : `, "${note}"`})`;
}

/**
 * A sentence a person can read, e.g.
 * `a@b.versicherung.de: verify required, TLS ≥ 1.2 by rule *.versicherung.de (line 12 of policy.json); not whitelistable`.
 * Throws `EPOLICY` for a value that is not a decision (wrong direction, level or minimum version).
 *
 * @example
 * ```ts
 * explainDecision(policy.outbound('mandant@gmx.de')); // 'mandant@gmx.de: encrypt required, TLS ≥ 1.2 by the outbound default; whitelistable'
 * ```
 */
export function explainDecision(decision: Decision | DomainDecision): string {
  const d = readShape(decision, DECISION_FIELDS, { path: 'decision', optional: false, subject: 'argument' });
  if (d.direction === undefined || d.level === undefined || d.minVersion === undefined) {
    throw new ForcedTlsError(
      'EPOLICY',
      'explainDecision: not a decision from policy.outbound() or policy.inbound()',
      {
        path: 'decision',
      },
    );
  }
  const level = d.level as Decision['level'];
  const rule = d.rule as PolicyRule | undefined;
  const who = subject(d);
  const min = level === 'may' ? '' : `, TLS ≥ ${String(d.minVersion).slice(4)}`;
  const by = rule ? ruleText(rule) : `the ${d.direction} default`;
  if (d.source === 'whitelist' && d.entry) {
    const e = d.entry;
    const consent = text(e, 'consentRef') === '' ? '' : `, consent ${text(e, 'consentRef')}`;
    const expires = text(e, 'expiresAt') === '' ? '' : `, until ${text(e, 'expiresAt')}`;
    return (
      `${who}: ${LEVEL_TEXT.may}: whitelisted by ${text(e, 'scope')} entry ${text(e, 'value')} (id ${text(e, 'id')}; ` +
      `reason "${text(e, 'reason')}", approved by ${text(e, 'approvedBy')}${consent}${expires}); ` +
      `${String(d.requiredLevel ?? level)} would otherwise be required by ${by}`
    );
  }
  const whitelistable = level === 'may' ? '' : d.whitelistable ? '; whitelistable' : '; not whitelistable';
  return `${who}: ${LEVEL_TEXT[level]}${min} by ${by}${whitelistable}`;
}

// Who the decision is about: a recipient, a sender, or a destination domain (`.domain` for its subdomains).
function subject(d: {
  direction?: unknown;
  recipient?: unknown;
  sender?: unknown;
  domain?: unknown;
  scope?: unknown;
}): string {
  if (typeof d.recipient === 'string') return d.recipient;
  if (d.direction === 'inbound') return typeof d.sender === 'string' && d.sender !== '' ? d.sender : '<>';
  const domain = typeof d.domain === 'string' ? d.domain : '';
  return d.scope === 'subdomains' ? `.${domain} (any subdomain)` : domain;
}
