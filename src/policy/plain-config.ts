import { types } from 'node:util';
import { ForcedTlsError } from '../errors/index.js';

// Deeper than any real policy, shallow enough that a hostile nesting cannot exhaust the stack.
const MAX_DEPTH = 32;
// Far more rules than any policy has; a sparse array with a huge length is refused, not walked.
const MAX_ITEMS = 1_000_000;

function refuse(path: string, why: string, extra: { value?: unknown; cause?: unknown } = {}): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid policy at ${path}: ${why}`, { path, ...extra });
}

function isPlainObject(value: object, path: string): boolean {
  let prototype: object | null;
  try {
    prototype = Object.getPrototypeOf(value);
  } catch (error) {
    throw refuse(path, 'cannot be read (its prototype lookup threw)', { cause: error });
  }
  return prototype === Object.prototype || prototype === null;
}

function read(holder: object, key: string, path: string): unknown {
  try {
    return Reflect.get(holder, key);
  } catch (error) {
    throw refuse(path, 'cannot be read (reading it threw)', { cause: error });
  }
}

function copy(value: unknown, path: string, ancestors: object[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) throw refuse(path, 'refers back to an enclosing object (a cycle)');
  if (ancestors.length >= MAX_DEPTH) throw refuse(path, `is nested more than ${MAX_DEPTH} levels deep`);
  const inner = [...ancestors, value];
  let isArray: boolean;
  try {
    isArray = Array.isArray(value);
  } catch (error) {
    throw refuse(path, 'cannot be read (a revoked proxy)', { cause: error });
  }
  if (isArray) {
    const list = value as readonly unknown[];
    const length = read(list, 'length', `${path}.length`);
    if (typeof length !== 'number' || length > MAX_ITEMS) {
      throw refuse(path, `has more than ${MAX_ITEMS} items`, { value: length });
    }
    const out: unknown[] = [];
    for (let i = 0; i < length; i++)
      out.push(copy(read(list, String(i), `${path}[${i}]`), `${path}[${i}]`, inner));
    return out;
  }
  if (types.isBoxedPrimitive(value) || !isPlainObject(value, path)) {
    throw refuse(path, 'expected JSON data (a plain object, array, string, number, boolean or null)', {
      value,
    });
  }
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (error) {
    throw refuse(path, 'cannot be read (listing its keys threw)', { cause: error });
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const at = path === '(root)' ? key : `${path}.${key}`;
    Object.defineProperty(out, key, {
      value: copy(read(value, key, at), at, inner),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * A plain copy of a policy configuration, read once: objects and arrays are copied (holes of a
 * sparse array become `undefined`; at most 1,000,000 items), leaves are kept for the validator to judge. A getter or proxy
 * that throws, a cycle, nesting deeper than 32 levels, or an object that is not plain data (a
 * `Map`, a `Date`, a class instance) throws `EPOLICY` naming the path. Validation then works on
 * data that cannot change or throw while it is read.
 *
 * @example
 * ```ts
 * plainConfig({ outbound: { rules: [, {}] } }); // { outbound: { rules: [undefined, {}] } }
 * ```
 */
export function plainConfig(config: unknown): unknown {
  return copy(config, '(root)', []);
}
