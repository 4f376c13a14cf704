import { ForcedTlsError } from '../errors/forced-tls-error.js';
import { isRecord, readShape } from '../errors/shape.js';
import type { WhitelistAuditOptions, WhitelistAuditQuery } from './audit-types.js';
import { ISO_INSTANT_FORMS, parseIsoInstant } from './iso-instant.js';

/** Default `limit` of `Whitelist.audit()`. */
export const DEFAULT_AUDIT_LIMIT = 1000;
/** Largest `limit` of `Whitelist.audit()`. */
export const MAX_AUDIT_LIMIT = 10_000;

function fail(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Whitelist.audit: ${path} ${why}`, { path, value });
}

function since(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const time =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? parseIsoInstant(value) : undefined;
  if (time === undefined || !Number.isFinite(time)) {
    throw fail('since', value, `must be a Date or ${ISO_INSTANT_FORMS}`);
  }
  return new Date(time).toISOString();
}

function integer(path: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw fail(path, value, `must be an integer ${min} … ${max}`);
  }
  return value;
}

const QUERY_FIELDS = { since: 'any', afterSeq: 'any', limit: 'any' } as const;

/** Checks the options of `Whitelist.audit()` and turns them into the store's query (`EPOLICY` if invalid). */
export function auditQuery(options: WhitelistAuditOptions | undefined): WhitelistAuditQuery {
  if (options !== undefined && !isRecord(options)) throw fail('options', options, 'must be an object');
  let keys: string[];
  try {
    keys = options === undefined ? [] : Object.keys(options);
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', 'Whitelist.audit: options cannot be read', {
      path: 'options',
      cause: error,
    });
  }
  const unknown = keys.find((key) => key !== 'since' && key !== 'afterSeq' && key !== 'limit');
  if (unknown !== undefined) throw fail(unknown, undefined, 'is not an option (since, afterSeq, limit)');
  // Each field read once, in its own try.
  const o = readShape(options, QUERY_FIELDS, { subject: 'Whitelist.audit option' }) as WhitelistAuditOptions;
  const from = since(o.since);
  return {
    ...(from === undefined ? {} : { since: from }),
    afterSeq: integer('afterSeq', o.afterSeq, 0, 0, Number.MAX_SAFE_INTEGER),
    limit: integer('limit', o.limit, DEFAULT_AUDIT_LIMIT, 1, MAX_AUDIT_LIMIT),
  };
}
