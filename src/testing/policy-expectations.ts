import { AssertionError } from 'node:assert';
import { ForcedTlsError, isForcedTlsError } from '../errors/forced-tls-error.js';
import { TLS_LEVELS, TLS_VERSIONS } from '../policy/index.js';
import type { DecideOptions, Policy } from '../policy/policy.js';
import type { Decision, DecisionSource, Direction, TlsLevel, TlsVersion } from '../policy/types.js';

/**
 * One row of a decision table: an address and what the policy should decide for it. Omitted
 * fields are not checked.
 */
export interface DecisionExpectation {
  /** Recipient (outbound) or sender (inbound). */
  readonly address: string;
  /** @default 'outbound' */
  readonly direction?: Direction;
  /** The level the policy should decide. */
  readonly level?: TlsLevel;
  /** What should decide: `default`, `rule` or `whitelist`. */
  readonly source?: DecisionSource;
  /** Whether a whitelist entry should be able to lower it. */
  readonly whitelistable?: boolean;
  /** The minimum TLS version the policy should require. */
  readonly minVersion?: TlsVersion;
  /** The deciding rule's pattern as written, or `null` for "no rule" (the default). */
  readonly rule?: string | null;
  /** Expect the decision to fail with this code instead (e.g. `EADDRESS`). */
  readonly error?: string;
}

/** One expectation that did not hold. */
export interface DecisionMismatch {
  /** The expectation that did not hold. */
  readonly expectation: DecisionExpectation;
  /** The field that differed. */
  readonly field: 'level' | 'source' | 'whitelistable' | 'minVersion' | 'rule' | 'error';
  /** What the expectation said. */
  readonly expected: unknown;
  /** What the policy decided. */
  readonly actual: unknown;
  /** The decision's `explain()` text, or the error message. */
  readonly explain: string;
}

const FIELDS = ['level', 'source', 'whitelistable', 'minVersion'] as const;

function decide(policy: Policy, e: DecisionExpectation, options: DecideOptions): Decision {
  return e.direction === 'inbound' ? policy.inbound(e.address, options) : policy.outbound(e.address, options);
}

/** Checks every expectation and returns the mismatches (empty when all hold). */
export function checkDecisions(
  policy: Policy,
  expectations: readonly DecisionExpectation[],
  options: DecideOptions = {},
): DecisionMismatch[] {
  const mismatches: DecisionMismatch[] = [];
  for (const expectation of expectations) {
    let decision: Decision;
    try {
      decision = decide(policy, expectation, options);
    } catch (error) {
      const code = isForcedTlsError(error) ? error.code : 'thrown';
      if (expectation.error !== code) {
        const explain = error instanceof Error ? error.message : String(error);
        mismatches.push({
          expectation,
          field: 'error',
          expected: expectation.error ?? 'a decision',
          actual: code,
          explain,
        });
      }
      continue;
    }
    const explain = decision.explain();
    if (expectation.error !== undefined) {
      mismatches.push({
        expectation,
        field: 'error',
        expected: expectation.error,
        actual: 'a decision',
        explain,
      });
      continue;
    }
    for (const field of FIELDS) {
      const expected = expectation[field];
      if (expected !== undefined && decision[field] !== expected) {
        mismatches.push({ expectation, field, expected, actual: decision[field], explain });
      }
    }
    if (expectation.rule !== undefined) {
      const actual = decision.rule?.pattern ?? null;
      if (actual !== expectation.rule)
        mismatches.push({ expectation, field: 'rule', expected: expectation.rule, actual, explain });
    }
  }
  return mismatches;
}

/** One line per mismatch, each followed by the decision's explanation. */
export function formatMismatches(mismatches: readonly DecisionMismatch[]): string {
  return mismatches
    .map(
      (m) =>
        `${m.expectation.direction ?? 'outbound'} ${m.expectation.address}: expected ${m.field} ` +
        `${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}\n    ${m.explain}`,
    )
    .join('\n');
}

/**
 * Asserts a decision table; throws an `AssertionError` listing every mismatch with its `explain()`
 * text. Works with any test runner.
 *
 * @example
 * ```ts
 * assertDecisions(policy, [
 *   { address: 'mandant@gmx.de', level: 'encrypt', source: 'default' },
 *   { address: 'partner@versicherung.de', level: 'verify', whitelistable: false },
 * ]);
 * ```
 */
export function assertDecisions(
  policy: Policy,
  expectations: readonly DecisionExpectation[],
  options: DecideOptions = {},
): void {
  const mismatches = checkDecisions(policy, expectations, options);
  if (mismatches.length > 0) {
    throw new AssertionError({
      message: `${mismatches.length} of ${expectations.length} policy expectation(s) failed:\n${formatMismatches(mismatches)}`,
      actual: mismatches.map((m) => m.actual),
      expected: mismatches.map((m) => m.expected),
      operator: 'assertDecisions',
    });
  }
}

// Each field and the values it may take: a value outside them could never match a decision, so a
// typo (`"level": "strict"`) is an error in the table, not a failed expectation.
const EXPECTATION_VALUES: Readonly<Record<string, (value: unknown) => string | undefined>> = {
  address: (v) => (typeof v === 'string' ? undefined : 'must be a string'),
  direction: oneOf(['outbound', 'inbound']),
  level: oneOf(TLS_LEVELS),
  source: oneOf(['default', 'rule', 'whitelist']),
  whitelistable: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  minVersion: oneOf(TLS_VERSIONS),
  rule: (v) => (typeof v === 'string' || v === null ? undefined : 'must be a pattern string or null'),
  error: (v) => (typeof v === 'string' && v !== '' ? undefined : 'must be an error code such as "EADDRESS"'),
};

function oneOf(values: readonly string[]): (value: unknown) => string | undefined {
  return (v) =>
    typeof v === 'string' && values.includes(v)
      ? undefined
      : `must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`;
}

/**
 * Validates a decision table read from JSON (an array, or `{ "expectations": [...] }`).
 * Throws `EPOLICY` naming the bad row and field: an unknown field, a value no decision can have
 * (`"level": "strict"`), or an empty table (which would check nothing).
 *
 * @example
 * ```ts
 * const table = parseExpectations(JSON.parse(await readFile('expectations.json', 'utf8')));
 * assertDecisions(policy, table);
 * ```
 */
export function parseExpectations(raw: unknown): DecisionExpectation[] {
  const rows = Array.isArray(raw) ? raw : (raw as { expectations?: unknown } | null)?.expectations;
  if (!Array.isArray(rows)) {
    throw new ForcedTlsError('EPOLICY', 'Expectations must be an array or { "expectations": [...] }', {
      path: 'expectations',
    });
  }
  if (rows.length === 0) {
    throw new ForcedTlsError('EPOLICY', 'Expectations: the table is empty, so it would check nothing', {
      path: 'expectations',
    });
  }
  return rows.map((row, i) => {
    const path = `expectations[${i}]`;
    if (typeof row !== 'object' || row === null || typeof (row as DecisionExpectation).address !== 'string') {
      throw new ForcedTlsError('EPOLICY', `${path}: each expectation needs an "address" string`, {
        path,
        value: row,
      });
    }
    for (const [key, value] of Object.entries(row)) {
      const check = EXPECTATION_VALUES[key];
      const why = check === undefined ? 'unknown field' : check(value);
      if (why !== undefined) {
        throw new ForcedTlsError('EPOLICY', `${path}.${key}: ${why}`, { path: `${path}.${key}`, value });
      }
    }
    return row as DecisionExpectation;
  });
}
