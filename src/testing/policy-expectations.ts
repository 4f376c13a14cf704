import { AssertionError } from 'node:assert';
import { describeValue, ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import { isArray, isRecord, readShape } from '../internal/index.js';
import {
  type DecideOptions,
  type Decision,
  type DecisionSource,
  type Direction,
  isPolicy,
  type Policy,
  TLS_LEVELS,
  TLS_VERSIONS,
  type TlsLevel,
  type TlsVersion,
} from '../policy/index.js';

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

const EXPECTATION_FIELDS = {
  address: 'any',
  direction: 'any',
  level: 'any',
  source: 'any',
  whitelistable: 'any',
  minVersion: 'any',
  rule: 'any',
  error: 'any',
} as const;

// Each row read once into plain data (EPOLICY naming it when it cannot be read).
function rows(policy: unknown, expectations: unknown): DecisionExpectation[] {
  if (!isPolicy(policy)) {
    throw new ForcedTlsError('EPOLICY', 'policy must be a Policy from createPolicy()', { path: 'policy' });
  }
  if (!isArray(expectations)) {
    throw new ForcedTlsError('EPOLICY', 'expectations must be an array', { path: 'expectations' });
  }
  const list: DecisionExpectation[] = [];
  for (let i = 0; i < expectations.length; i++) {
    const path = `expectations[${i}]`;
    list.push(
      readShape(expectations[i], EXPECTATION_FIELDS, { path, optional: false }) as DecisionExpectation,
    );
  }
  return list;
}

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
  for (const expectation of rows(policy, expectations)) {
    let decision: Decision;
    try {
      decision = decide(policy, expectation, options);
    } catch (error) {
      const code = isForcedTlsError(error) ? error.code : 'thrown';
      if (expectation.error !== code) {
        const explain = error instanceof Error ? error.message : describeValue(error);
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
  if (!isArray(mismatches)) {
    throw new ForcedTlsError('EPOLICY', 'mismatches must be an array', { path: 'mismatches' });
  }
  return mismatches
    .map((raw, i) => {
      const m = readShape(raw, MISMATCH_FIELDS, { path: `mismatches[${i}]`, optional: false });
      const e = readShape(
        m.expectation,
        { direction: 'any', address: 'any' },
        { path: `mismatches[${i}].expectation` },
      );
      const text = (v: unknown) => (typeof v === 'string' ? v : describeValue(v));
      return (
        `${text(e.direction ?? 'outbound')} ${text(e.address)}: expected ${text(m.field)} ` +
        `${describeValue(m.expected, 200)}, got ${describeValue(m.actual, 200)}\n    ${text(m.explain)}`
      );
    })
    .join('\n');
}

const MISMATCH_FIELDS = {
  expectation: 'any',
  field: 'any',
  expected: 'any',
  actual: 'any',
  explain: 'any',
} as const;

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
      : `must be one of ${values.join(', ')} (got ${describeValue(v)})`;
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
  let list: unknown;
  try {
    list = Array.isArray(raw) ? raw : isRecord(raw) ? raw['expectations'] : undefined;
  } catch {
    list = undefined;
  }
  if (!isArray(list)) {
    throw new ForcedTlsError('EPOLICY', 'Expectations must be an array or { "expectations": [...] }', {
      path: 'expectations',
    });
  }
  if (list.length === 0) {
    throw new ForcedTlsError('EPOLICY', 'Expectations: the table is empty, so it would check nothing', {
      path: 'expectations',
    });
  }
  const rows: DecisionExpectation[] = [];
  // An index loop, not map(): a hole of a sparse array is a missing row, refused like any other.
  for (let i = 0; i < list.length; i++) {
    const path = `expectations[${i}]`;
    const row: unknown = list[i];
    if (!isRecord(row)) {
      throw new ForcedTlsError('EPOLICY', `${path}: each expectation needs an "address" string`, {
        path,
        value: row,
      });
    }
    let keys: string[];
    try {
      keys = Object.keys(row);
    } catch (error) {
      throw new ForcedTlsError('EPOLICY', `${path}: it cannot be read`, { path, cause: error });
    }
    const unknown = keys.find((key) => EXPECTATION_VALUES[key] === undefined);
    if (unknown !== undefined) {
      throw new ForcedTlsError('EPOLICY', `${path}.${unknown}: unknown field`, {
        path: `${path}.${unknown}`,
      });
    }
    const copy = readShape(row, EXPECTATION_FIELDS, { path, optional: false }) as DecisionExpectation;
    for (const [key, value] of Object.entries(copy)) {
      const why = EXPECTATION_VALUES[key]?.(value);
      if (why !== undefined) {
        throw new ForcedTlsError('EPOLICY', `${path}.${key}: ${why}`, { path: `${path}.${key}`, value });
      }
    }
    if (typeof copy.address !== 'string') {
      throw new ForcedTlsError('EPOLICY', `${path}: each expectation needs an "address" string`, {
        path,
        value: row,
      });
    }
    rows.push(copy);
  }
  return rows;
}
