import { describeValue, ForcedTlsError } from '../errors/index.js';
import { normalizeFingerprint } from './fingerprint.js';
import { isPublicSuffix, normalizePattern } from './normalize.js';
import {
  type Direction,
  type DirectionConfig,
  type PolicyRule,
  type RuleOrigin,
  TLS_LEVELS,
  TLS_VERSIONS,
  type TlsLevel,
  type TlsVersion,
} from './types.js';

/** A direction's settings after validation. */
export interface DirectionSettings {
  readonly direction: Direction;
  readonly level: TlsLevel;
  readonly minVersion: TlsVersion;
  readonly whitelistable: boolean;
  readonly rules: readonly PolicyRule[];
}

/** Maps a JSON path such as `outbound.rules[2]` to where it stands in a policy file. */
export type Locate = (path: string) => Omit<RuleOrigin, 'path'>;

const TOP_KEYS = new Set(['$schema', 'description', 'outbound', 'inbound']);
const DIRECTION_KEYS = new Set(['default', 'minVersion', 'defaultWhitelistable', 'rules']);
const RULE_KEYS = new Set([
  'match',
  'level',
  'minVersion',
  'fingerprints',
  'whitelistable',
  'note',
  'allowPublicSuffix',
]);
const INBOUND_LEVELS: readonly TlsLevel[] = ['may', 'encrypt'];

function fail(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid policy at ${path}: ${why} (got ${show(value)})`, {
    path,
    value,
  });
}

function show(value: unknown): string {
  return describeValue(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(object: Record<string, unknown>, allowed: Set<string>, path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) throw fail(path ? `${path}.${key}` : key, object[key], 'unknown field');
  }
}

function optionalBoolean(
  object: Record<string, unknown>,
  key: string,
  path: string,
  fallback: boolean,
): boolean {
  const value = object[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw fail(`${path}.${key}`, value, 'expected true or false');
  return value;
}

function versionAt(value: unknown, path: string): TlsVersion {
  if (!TLS_VERSIONS.includes(value as TlsVersion))
    throw fail(path, value, `expected one of ${TLS_VERSIONS.join(', ')}`);
  return value as TlsVersion;
}

function levelAt(value: unknown, path: string, direction: Direction): TlsLevel {
  const allowed = direction === 'inbound' ? INBOUND_LEVELS : TLS_LEVELS;
  if (!allowed.includes(value as TlsLevel)) {
    throw fail(
      path,
      value,
      `expected one of ${allowed.join(', ')}${direction === 'inbound' ? ' for inbound' : ''}`,
    );
  }
  return value as TlsLevel;
}

/** Validates the top level of a policy configuration. */
export function validateTop(config: unknown): Record<string, unknown> {
  if (!isObject(config)) throw fail('(root)', config, 'expected an object');
  checkKeys(config, TOP_KEYS, '');
  return config;
}

/** Validates and normalizes one direction's configuration. */
export function validateDirection(direction: Direction, raw: unknown, locate: Locate): DirectionSettings {
  const path = direction;
  const config: DirectionConfig = raw === undefined ? {} : (raw as DirectionConfig);
  if (!isObject(config)) throw fail(path, raw, 'expected an object');
  checkKeys(config, DIRECTION_KEYS, path);
  const level =
    config.default === undefined
      ? direction === 'outbound'
        ? 'encrypt'
        : 'may'
      : levelAt(config.default, `${path}.default`, direction);
  if (level === 'fingerprint')
    throw fail(`${path}.default`, level, 'fingerprint needs a rule with fingerprints');
  const minVersion =
    config.minVersion === undefined ? 'TLSv1.2' : versionAt(config.minVersion, `${path}.minVersion`);
  const whitelistable = optionalBoolean(config, 'defaultWhitelistable', path, whitelistableByDefault(level));
  const rulesRaw = config.rules ?? [];
  if (!Array.isArray(rulesRaw)) throw fail(`${path}.rules`, rulesRaw, 'expected an array');
  const seen = new Map<string, string>();
  const rules: PolicyRule[] = [];
  // An index loop, not map(): map skips the holes of a sparse array, which must be refused.
  for (let i = 0; i < rulesRaw.length; i++) {
    const normalized = validateRule(direction, rulesRaw[i], `${path}.rules[${i}]`, minVersion, locate);
    const key = `${normalized.scope}|${normalized.value}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw fail(`${path}.rules[${i}].match`, normalized.pattern, `duplicates ${earlier}`);
    seen.set(key, `${path}.rules[${i}]`);
    rules.push(normalized);
  }
  return { direction, level, minVersion, whitelistable, rules };
}

function validateRule(
  direction: Direction,
  rule: unknown,
  path: string,
  directionMin: TlsVersion,
  locate: Locate,
): PolicyRule {
  if (!isObject(rule)) throw fail(path, rule, 'expected an object');
  checkKeys(rule, RULE_KEYS, path);
  if (typeof rule['match'] !== 'string') throw fail(`${path}.match`, rule['match'], 'expected a string');
  const pattern = rule['match'];
  let scope: PolicyRule['scope'];
  let value: string;
  try {
    ({ scope, value } = normalizePattern(pattern));
  } catch (error) {
    throw fail(`${path}.match`, pattern, (error as Error).message);
  }
  const allowPublicSuffix = optionalBoolean(rule, 'allowPublicSuffix', path, false);
  if (scope !== 'address' && !allowPublicSuffix && isPublicSuffix(value)) {
    throw fail(`${path}.match`, pattern, `${value} is a public suffix; set allowPublicSuffix to mean it`);
  }
  const level = levelAt(rule['level'], `${path}.level`, direction);
  const minVersion =
    rule['minVersion'] === undefined ? directionMin : versionAt(rule['minVersion'], `${path}.minVersion`);
  if (TLS_VERSIONS.indexOf(minVersion) < TLS_VERSIONS.indexOf(directionMin)) {
    throw fail(`${path}.minVersion`, minVersion, `may only be stricter than ${directionMin}`);
  }
  const fingerprints = validateFingerprints(rule['fingerprints'], `${path}.fingerprints`, level);
  const note = rule['note'];
  if (note !== undefined && typeof note !== 'string') throw fail(`${path}.note`, note, 'expected a string');
  const origin: RuleOrigin = { path, ...locate(path) };
  return {
    direction,
    scope,
    value,
    pattern,
    level,
    minVersion,
    fingerprints,
    whitelistable: optionalBoolean(rule, 'whitelistable', path, whitelistableByDefault(level)),
    ...(note === undefined ? {} : { note }),
    origin,
  };
}

// `qualified` asks for the highest tier: a whitelist entry (which lowers to plaintext-allowed `may`)
// lifts it only where the rule says so explicitly.
function whitelistableByDefault(level: TlsLevel): boolean {
  return level !== 'qualified';
}

function validateFingerprints(raw: unknown, path: string, level: TlsLevel): readonly string[] {
  if (raw === undefined) {
    if (level === 'fingerprint')
      throw fail(path, raw, 'level fingerprint needs at least one SHA-256 fingerprint');
    return [];
  }
  // At `qualified` pins are optional: a matching one authenticates the server (`pinned`).
  if (level !== 'fingerprint' && level !== 'qualified')
    throw fail(path, raw, 'fingerprints only apply to levels fingerprint and qualified');
  if (!Array.isArray(raw) || raw.length === 0) throw fail(path, raw, 'expected a non-empty array');
  return raw.map((item, i) => {
    const normalized = normalizeFingerprint(item as string);
    if (normalized === undefined)
      throw fail(`${path}[${i}]`, item, 'expected 64 hex digits (colons allowed)');
    return normalized;
  });
}
