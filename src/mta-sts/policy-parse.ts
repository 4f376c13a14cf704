import { stringArgument } from '../errors/index.js';
import { MAX_MTA_STS_MAX_AGE, type MtaStsMode, type MtaStsPolicy } from './types.js';

/** What is wrong with a policy file: the field, the 1-based line when one line is at fault, and why. */
export interface MtaStsPolicyProblem {
  /** Always `invalid`: the whole policy is rejected. */
  readonly status: 'invalid';
  /** The field at fault (`version`, `mode`, `max_age`, `mx`, an extension's name), or `line` for a malformed line. */
  readonly field: string;
  /** The 1-based line at fault; absent when a required field is missing or `mx` has no pattern. */
  readonly line?: number;
  /** Why, in English; quotes at most 40 characters of the value. */
  readonly problem: string;
}

/** The result of {@link parseMtaStsPolicy}. */
export type MtaStsPolicyParse =
  | {
      /** `valid`: the text is a policy. */
      readonly status: 'valid';
      /** The parsed policy, frozen. */
      readonly policy: MtaStsPolicy;
    }
  | MtaStsPolicyProblem;

const FIELD = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):[ \t]*(.*?)[ \t]*$/s;
// sts-policy-vchar: printable ASCII or any non-ASCII character (UTF-8 in the file), spaces between.
const EXT_VALUE =
  /^[\x21-\x7e\u0080-\u{10ffff}](?:[ \t\x21-\x7e\u0080-\u{10ffff}]*[\x21-\x7e\u0080-\u{10ffff}])?$/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MODES: ReadonlySet<string> = new Set<MtaStsMode>(['enforce', 'testing', 'none']);

function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/**
 * True for a normalized `mx` pattern: `["*."] Domain` of RFC 5321 in lowercase A-labels, such as
 * `mx1.mandant.test` or `*.mx.mandant.test`. False for anything that is not a string.
 *
 * @example
 * ```ts
 * isMxPattern('*.mandant.test'); // true; '*.*.mandant.test', 'MX.mandant.test' and 'mx.mandant.test.' are false
 * ```
 */
export function isMxPattern(value: string): boolean {
  if (typeof value !== 'string') return false;
  const domain = value.startsWith('*.') ? value.slice(2) : value;
  if (domain.length === 0 || domain.length > 253) return false;
  return domain.split('.').every((label) => LABEL.test(label));
}

/** An `mx` value, lowercased, if it is a pattern. */
function mxPattern(value: string): string | undefined {
  const pattern = value.toLowerCase();
  return isMxPattern(pattern) ? pattern : undefined;
}

/**
 * Parses an MTA-STS policy file strictly by RFC 8461 §3.2: lines end in LF or CRLF; each line is
 * `name: value` (case-sensitive names, spaces or tabs after the colon and at the end of the line);
 * `version: STSv1`, `mode` (`enforce`, `testing`, `none`) and `max_age` (digits, at most 31557600)
 * exactly once each; `mx` once per pattern, at least one unless the mode is `none`, each a host name
 * in A-labels or `*.` and one (single-label wildcard); other well-formed fields are ignored. Empty
 * lines are skipped. Anything else makes the whole policy invalid. Never throws for a string; a
 * `text` that is not one throws `EPOLICY`.
 *
 * @example
 * ```ts
 * const parsed = parseMtaStsPolicy('version: STSv1\r\nmode: enforce\r\nmx: *.mandant.test\r\nmax_age: 86400\r\n');
 * if (parsed.status === 'valid') parsed.policy.mx; // ['*.mandant.test']
 * ```
 */
export function parseMtaStsPolicy(input: string): MtaStsPolicyParse {
  const text = stringArgument('text', input);
  const invalid = (field: string, problem: string, line?: number): MtaStsPolicyProblem =>
    line === undefined ? { status: 'invalid', field, problem } : { status: 'invalid', field, line, problem };
  const single = new Map<string, string>();
  const mx: string[] = [];
  const lines: string[] = [];
  const rows = text.split('\n');
  for (const [index, row] of rows.entries()) {
    const number = index + 1;
    const line = row.endsWith('\r') ? row.slice(0, -1) : row;
    if (line === '') continue;
    if (line.includes('\r')) return invalid('line', 'carriage return inside a line', number);
    lines.push(line);
    const match = FIELD.exec(line);
    if (match === null) return invalid('line', `not a "name: value" field: ${shown(line)}`, number);
    const [, name = '', value = ''] = match;
    if (name === 'mx') {
      const pattern = mxPattern(value);
      if (pattern === undefined) {
        return invalid('mx', `not a host name in A-labels or "*." and one: ${shown(value)}`, number);
      }
      if (!mx.includes(pattern)) mx.push(pattern);
    } else if (name === 'version' || name === 'mode' || name === 'max_age') {
      if (single.has(name)) return invalid(name, `${name} appears more than once`, number);
      single.set(name, value);
      if (name === 'version' && value !== 'STSv1')
        return invalid(name, `version ${shown(value)} is not STSv1`, number);
      if (name === 'mode' && !MODES.has(value)) {
        return invalid(name, `mode ${shown(value)} is not enforce, testing or none`, number);
      }
      if (name === 'max_age' && (!/^[0-9]{1,10}$/.test(value) || Number(value) > MAX_MTA_STS_MAX_AGE)) {
        return invalid(name, `max_age ${shown(value)} is not an integer 0-${MAX_MTA_STS_MAX_AGE}`, number);
      }
    } else if (!EXT_VALUE.test(value)) {
      return invalid(name, `extension field ${name} has an empty or malformed value`, number);
    }
  }
  for (const required of ['version', 'mode', 'max_age']) {
    if (!single.has(required)) return invalid(required, `no ${required} field`);
  }
  const mode = single.get('mode') as MtaStsMode;
  if (mx.length === 0 && mode !== 'none') return invalid('mx', `mode ${mode} needs at least one mx pattern`);
  const policy: MtaStsPolicy = Object.freeze({
    version: 'STSv1',
    mode,
    maxAge: Number(single.get('max_age')),
    mx: Object.freeze(mx),
    lines: Object.freeze(lines),
  });
  return { status: 'valid', policy };
}
