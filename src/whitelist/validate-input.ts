import { types } from 'node:util';
import { describeValue, ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import { isRecord, readShape } from '../internal/index.js';
import { isPublicSuffix, normalizePattern } from '../policy/index.js';
import { DIRECTION_RULE, isDirection, isScope, SCOPE_RULE } from './entry-enums.js';
import { ISO_INSTANT_FORMS, parseIsoInstant } from './iso-instant.js';
import { MAX_NAME_LENGTH, MAX_REASON_LENGTH, textProblem } from './text-rules.js';
import type { WhitelistEntry } from './types.js';

export { MAX_NAME_LENGTH, MAX_REASON_LENGTH } from './text-rules.js';

const INPUT_FIELDS = {
  direction: 'any',
  scope: 'any',
  value: 'any',
  reason: 'any',
  approvedBy: 'any',
  consentRef: 'any',
  expiresAt: 'any',
  allowPublicSuffix: 'any',
} as const;
const SHAPE = { code: 'EWHITELIST', subject: 'whitelist entry:' } as const;

const FIELDS = new Set([
  'direction',
  'scope',
  'value',
  'reason',
  'approvedBy',
  'consentRef',
  'expiresAt',
  'allowPublicSuffix',
]);

function fail(path: string, value: unknown, why: string, cause?: unknown): ForcedTlsError {
  const shown = typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…` : value;
  const text = shown === undefined ? 'missing' : describeValue(shown, 120);
  return new ForcedTlsError('EWHITELIST', `Invalid whitelist entry: ${path} ${text}: ${why}`, {
    path,
    value,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Checks a required or optional text field and returns it trimmed. */
export function checkText(path: string, value: unknown, max: number, multiline = false): string {
  if (typeof value !== 'string') throw fail(path, value, 'must be a string');
  const text = value.trim();
  const problem = textProblem(text, max, multiline);
  if (problem !== undefined) throw fail(path, value, problem);
  return text;
}

function checkExpiry(value: unknown, now: Date): string {
  let time: number;
  if (types.isDate(value)) time = Date.prototype.getTime.call(value);
  else {
    const parsed = typeof value === 'string' ? parseIsoInstant(value) : undefined;
    if (parsed === undefined) throw fail('expiresAt', value, `must be a Date or ${ISO_INSTANT_FORMS}`);
    time = parsed;
  }
  if (!Number.isFinite(time)) throw fail('expiresAt', value, 'is not a valid time');
  if (time <= now.getTime()) throw fail('expiresAt', value, `must be after now (${now.toISOString()})`);
  return new Date(time).toISOString();
}

/**
 * Validates what a caller passed to `Whitelist.add` and returns the normalized entry (without the
 * `id`, which the caller assigns). Every problem throws `EWHITELIST` naming the field; a malformed
 * domain or address is wrapped, with the `EADDRESS` error as `cause`.
 */
export function validateWhitelistInput(input: unknown, id: string, now: Date): WhitelistEntry {
  if (!isRecord(input)) throw fail('(entry)', input, 'must be an object');
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch (error) {
    throw fail('(entry)', undefined, 'cannot be read (listing its fields threw)', error);
  }
  for (const key of keys) {
    if (!FIELDS.has(key))
      throw fail(key, readShape(input, { [key]: 'any' }, SHAPE)[key], 'is not a field of a whitelist entry');
  }
  // Read once, each field in its own try: later checks see plain data that cannot throw or change.
  const raw: Record<string, unknown> = readShape(input, INPUT_FIELDS, SHAPE);
  const { direction, scope, allowPublicSuffix } = raw;
  if (!isDirection(direction)) throw fail('direction', direction, DIRECTION_RULE);
  if (!isScope(scope)) throw fail('scope', scope, SCOPE_RULE);
  if (allowPublicSuffix !== undefined && typeof allowPublicSuffix !== 'boolean') {
    throw fail('allowPublicSuffix', allowPublicSuffix, 'must be a boolean');
  }
  let value: string;
  try {
    value = normalizePattern(raw['value'] as string, scope).value;
  } catch (error) {
    if (!isForcedTlsError(error)) throw error;
    throw fail('value', raw['value'], error.message, error);
  }
  if (scope !== 'address' && allowPublicSuffix !== true && isPublicSuffix(value)) {
    throw fail('value', raw['value'], `${value} is a public suffix; set allowPublicSuffix to allow it`);
  }
  const reason = checkText('reason', raw['reason'], MAX_REASON_LENGTH, true);
  const approvedBy = checkText('approvedBy', raw['approvedBy'], MAX_NAME_LENGTH);
  const consentRef =
    raw['consentRef'] === undefined ? undefined : checkText('consentRef', raw['consentRef'], MAX_NAME_LENGTH);
  const expiresAt = raw['expiresAt'] === undefined ? undefined : checkExpiry(raw['expiresAt'], now);
  return {
    id,
    direction,
    scope,
    value,
    reason,
    approvedBy,
    ...(consentRef === undefined ? {} : { consentRef }),
    createdAt: now.toISOString(),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}
