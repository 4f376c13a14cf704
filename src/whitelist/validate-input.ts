import { ForcedTlsError, isForcedTlsError } from '../errors/forced-tls-error.js';
import { isPublicSuffix, normalizePattern } from '../policy/normalize.js';
import { DIRECTION_RULE, isDirection, isScope, SCOPE_RULE } from './entry-enums.js';
import { ISO_INSTANT_FORMS, parseIsoInstant } from './iso-instant.js';
import type { WhitelistEntry } from './types.js';

/** Longest accepted `reason`, in characters. */
export const MAX_REASON_LENGTH = 1000;
/** Longest accepted `approvedBy`, `consentRef` and actor, in characters. */
export const MAX_NAME_LENGTH = 200;

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
// Reason may span lines; names and references are one line.
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f]/u;
const CONTROL = /[\u0000-\u001f\u007f]/u;

function fail(path: string, value: unknown, why: string, cause?: unknown): ForcedTlsError {
  const shown = typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…` : value;
  const text = shown === undefined ? 'missing' : JSON.stringify(shown);
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
  if (text === '') throw fail(path, value, 'must not be empty');
  if (text.length > max) throw fail(path, value, `must be at most ${max} characters`);
  if ((multiline ? CONTROL_MULTILINE : CONTROL).test(text)) {
    throw fail(path, value, 'must not contain control characters');
  }
  return text;
}

function checkExpiry(value: unknown, now: Date): string {
  let time: number;
  if (value instanceof Date) time = value.getTime();
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
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw fail('(entry)', input, 'must be an object');
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!FIELDS.has(key)) throw fail(key, raw[key], 'is not a field of a whitelist entry');
  }
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
