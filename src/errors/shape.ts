import { types } from 'node:util';
import type { ErrorCode } from './codes.js';
import { describeValue } from './describe-value.js';
import { ForcedTlsError } from './forced-tls-error.js';

/**
 * What a field may hold (besides `undefined`, which means "not given"): a JavaScript type, `date`
 * (a valid `Date`), `array`, `any` (left to a later check), or a list of allowed values.
 */
export type FieldKind =
  | 'string'
  | 'boolean'
  | 'number'
  | 'function'
  | 'object'
  | 'array'
  | 'date'
  | 'any'
  | readonly unknown[];

/** How {@link readShape} names what it refuses. */
export interface ShapeContext {
  /** The code of the refusal. @default 'EPOLICY' */
  readonly code?: ErrorCode;
  /** The word before the path in messages: `Invalid <subject> <path>: …`. @default 'option' */
  readonly subject?: string;
  /** The path of the object itself; fields are `<path>.<field>`, or bare when omitted. */
  readonly path?: string;
  /** Whether `undefined` stands for "no options" (an empty result). @default true */
  readonly optional?: boolean;
}

const KIND_TEXT: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  function: 'a function',
  object: 'an object',
  array: 'an array',
  date: 'a valid Date',
};

function matches(kind: FieldKind, value: unknown): boolean {
  if (isArray(kind)) return kind.includes(value);
  switch (kind) {
    case 'any':
      return true;
    case 'object':
      return typeof value === 'object' && value !== null;
    case 'array':
      return isArray(value);
    case 'date':
      return types.isDate(value) && !Number.isNaN(Date.prototype.getTime.call(value));
    default:
      return typeof value === kind;
  }
}

function expected(kind: FieldKind): string {
  if (!Array.isArray(kind)) return KIND_TEXT[kind as string] ?? String(kind);
  return `one of ${kind.map((v) => describeValue(v)).join(', ')}`;
}

/**
 * `Array.isArray` that answers false for a revoked proxy instead of throwing.
 *
 * @example
 * ```ts
 * isArray([1]); // true; a revoked proxy: false
 * ```
 */
export function isArray(value: unknown): value is unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * True for a value that is an object and not an array; a revoked proxy is neither.
 *
 * @example
 * ```ts
 * isRecord({}); // true; isRecord([]) and isRecord(null): false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Reads the listed fields of an options object once, each in its own `try`, and checks its kind:
 * a getter or proxy trap that throws, or a field of the wrong kind, becomes a `ForcedTlsError`
 * (`EPOLICY` by default) naming the field's path, with the value described safely. Returns a plain
 * object holding only the listed fields that were given, so later code reads data that can no
 * longer throw or change. Fields not listed are not read.
 *
 * @example
 * ```ts
 * const o = readShape(options, { port: 'number', name: 'string' }, { path: 'options' });
 * ```
 */
export function readShape<K extends string>(
  value: unknown,
  fields: Readonly<Record<K, FieldKind>>,
  context: ShapeContext = {},
): { readonly [P in K]?: unknown } {
  const code = context.code ?? 'EPOLICY';
  const subject = context.subject ?? 'option';
  const own = context.path ?? 'options';
  const at = (key: string) => (context.path === undefined ? key : `${context.path}.${key}`);
  if (value === undefined && context.optional !== false) return {};
  if (!isRecord(value)) {
    throw new ForcedTlsError(
      code,
      `Invalid ${subject} ${own}: must be an object (got ${describeValue(value)})`,
      {
        path: own,
        value,
      },
    );
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields) as K[]) {
    let field: unknown;
    try {
      field = Reflect.get(value, key);
    } catch (error) {
      throw new ForcedTlsError(code, `Invalid ${subject} ${at(key)}: it cannot be read (reading it threw)`, {
        path: at(key),
        cause: error,
      });
    }
    if (field === undefined) continue;
    const kind = fields[key];
    if (!matches(kind, field)) {
      throw new ForcedTlsError(
        code,
        `Invalid ${subject} ${at(key)}: must be ${expected(kind)} (got ${describeValue(field)})`,
        { path: at(key), value: field },
      );
    }
    out[key] = field;
  }
  return out as { readonly [P in K]?: unknown };
}
