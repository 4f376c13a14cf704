import { types } from 'node:util';

/** Longest string kept whole by {@link jsonSafe}; longer ones are cut and say their length. */
export const MAX_JSON_STRING = 1000;
const MAX_DEPTH = 4;
const MAX_ITEMS = 50;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

function functionName(fn: unknown): string {
  const name = Object.getOwnPropertyDescriptor(fn, 'name')?.value;
  return typeof name === 'string' && name !== '' ? ` ${cut(name, 80)}` : '';
}

function special(value: object): string | undefined {
  if (types.isProxy(value)) return '[proxy]';
  if (types.isDate(value)) {
    const time = Date.prototype.getTime.call(value);
    return Number.isNaN(time) ? '[date invalid]' : new Date(time).toISOString();
  }
  if (types.isBoxedPrimitive(value)) return '[boxed primitive]';
  if (types.isMap(value) || types.isSet(value)) return types.isMap(value) ? '[map]' : '[set]';
  if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`;
  if (types.isPromise(value)) return '[promise]';
  return undefined;
}

// A data property, own or inherited, without running a getter or a proxy trap.
function dataProperty(value: object, key: string): unknown {
  for (let at: object | null = value; at !== null && !types.isProxy(at); at = Object.getPrototypeOf(at)) {
    const descriptor = Object.getOwnPropertyDescriptor(at, key);
    if (descriptor !== undefined) return 'value' in descriptor ? descriptor.value : '[getter]';
  }
  return undefined;
}

// Reads own data properties through their descriptors, so no getter of the value ever runs.
function item(holder: object, key: string, depth: number, seen: object[]): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(holder, key);
  if (descriptor === undefined) return null;
  if (descriptor.get !== undefined || descriptor.set !== undefined) return '[getter]';
  return copy(descriptor.value, depth + 1, seen);
}

function copyObject(value: object, depth: number, seen: object[]): unknown {
  const marker = special(value);
  if (marker !== undefined) return marker;
  if (seen.includes(value)) return '[circular]';
  if (value instanceof Error) {
    const name = copy(dataProperty(value, 'name'), depth + 1, seen);
    return { name, message: copy(dataProperty(value, 'message'), depth + 1, seen) };
  }
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[array]' : '[object]';
  const inner = [...seen, value];
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < Math.min(value.length, MAX_ITEMS); i++)
      out.push(item(value, String(i), depth, inner));
    if (value.length > MAX_ITEMS) out.push(`[${value.length - MAX_ITEMS} more]`);
    return out;
  }
  const keys = Object.keys(value);
  const out: Record<string, unknown> = {};
  for (const key of keys.slice(0, MAX_ITEMS)) {
    Object.defineProperty(out, key, {
      value: item(value, key, depth, inner),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (keys.length > MAX_ITEMS) out['…'] = `[${keys.length - MAX_ITEMS} more]`;
  return out;
}

function copy(value: unknown, depth: number, seen: object[]): unknown {
  switch (typeof value) {
    case 'string':
      return cut(value, MAX_JSON_STRING);
    case 'number':
      return Number.isFinite(value) ? value : `[number ${value}]`;
    case 'boolean':
      return value;
    case 'undefined':
      return '[undefined]';
    case 'bigint':
      return `[bigint ${cut(value.toString(), 80)}n]`;
    case 'symbol':
      return `[symbol ${cut(String(value), 80)}]`;
    case 'function':
      return types.isProxy(value) ? '[proxy]' : `[function${functionName(value)}]`;
    default:
      return value === null ? null : copyObject(value as object, depth, seen);
  }
}

/**
 * A copy of `value` that `JSON.stringify` always accepts and that stays small: plain data is kept
 * (strings cut at {@link MAX_JSON_STRING} characters, nesting at 4 levels, 50 items per level), and
 * what JSON cannot represent becomes a string naming its type: `[bigint 1n]`, `[symbol Symbol(x)]`,
 * `[function name]`, `[number NaN]`, `[proxy]`, `[getter]`, `[circular]`. No getter, trap or
 * `toJSON` of the value runs.
 *
 * @example
 * ```ts
 * jsonSafe({ mode: 1n, list: [1, 'a'] }); // { mode: '[bigint 1n]', list: [1, 'a'] }
 * ```
 */
export function jsonSafe(value: unknown): unknown {
  try {
    return copy(value, 0, []);
  } catch {
    return '[unreadable]';
  }
}

/**
 * `value` as a short text for an error message, never throwing: JSON for plain data (so strings
 * show in quotes), `1n` for a BigInt, `Symbol(x)`, `undefined`, `NaN`, and the markers of
 * {@link jsonSafe} for the rest. Cut at `max` characters with `…`.
 *
 * @example
 * ```ts
 * describeValue('encrypt'); // '"encrypt"'
 * describeValue(1n); // '1n'
 * ```
 */
export function describeValue(value: unknown, max = 80): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'bigint') text = `${value.toString()}n`;
  else if (typeof value === 'symbol') text = String(value);
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else text = JSON.stringify(jsonSafe(typeof value === 'string' ? value.slice(0, max + 1) : value));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
