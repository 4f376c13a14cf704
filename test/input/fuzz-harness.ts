import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { expect } from 'vitest';
import { isForcedTlsError } from '../../src/errors/index.js';
import { hostileValues } from './hostile-values.js';

// fast-check itself looks into generated values (for a clone method), which a throwing or revoked
// proxy does not survive; so hostile values travel as markers and are put in place by `unwrap`.
const HOSTILE = hostileValues().map(([, value]) => value);
const MARK = '__forcedTlsHostileValue';

/** Replaces the hostile-value markers in generated arguments by the values. */
export function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (typeof value !== 'object' || value === null) return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record[MARK] === 'number' && Object.keys(record).length === 1) return HOSTILE[record[MARK]];
  const out: Record<string, unknown> = Object.create(prototype);
  for (const key of Object.keys(record)) {
    Object.defineProperty(out, key, {
      value: unwrap(record[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Values of every kind: fast-check's `anything()` with all its options, hostile values, and words the API knows. */
export const ARG: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 2,
    maxKeys: 4,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withObjectString: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
  }),
  fc.integer({ min: 0, max: HOSTILE.length - 1 }).map((i) => ({ [MARK]: i })),
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.domain(),
    fc.emailAddress(),
    fc.constantFrom(
      ...['outbound', 'inbound', 'domain', 'subdomains', 'address', 'may', 'encrypt', 'verify'],
      ...['fingerprint', 'TLSv1.2', 'TLSv1.3', 'EPOLICY', 'ENOSTARTTLS', 'de', 'en', 'change'],
      ...['plain', 'tls', '', '<>', 'mandant.example', 'a@mandant.example'],
    ),
  ),
);

/** Random argument lists. */
export const ARGS: fc.Arbitrary<unknown[]> = fc.array(ARG, { maxLength: 4 });

/** A place in an argument list: the argument's index, then field names or indexes. */
export type Path = readonly (string | number)[];

function isPlain(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Every path into the plain objects and arrays of `value`, up to `depth` levels. */
export function pathsOf(value: unknown, depth = 3, prefix: Path = []): Path[] {
  if (!isPlain(value) || depth === 0) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const child = (value as Record<string | number, unknown>)[key];
    return [[...prefix, key], ...pathsOf(child, depth - 1, [...prefix, key])];
  });
}

/** A copy of `value` with the item at `path` replaced (plain objects and arrays are copied on the way). */
export function replaced(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [key, ...rest] = path as [string | number, ...Path];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<
    string | number,
    unknown
  >;
  copy[key] = replaced(copy[key], rest, next);
  return copy;
}

const startsWith = (path: Path, prefix: Path) => prefix.every((key, i) => path[i] === key);

/**
 * Valid arguments with one place (an argument, or a field at any depth) replaced by a random value.
 * A `pinned` place keeps its value: neither it, nor anything in it, nor anything that holds it is
 * replaced.
 */
export function mutations(sample: readonly unknown[], pinned: readonly Path[] = []): fc.Arbitrary<unknown[]> {
  const paths = [
    ...sample.map((_, i) => [i] as Path),
    ...pathsOf([...sample]).filter((p) => p.length > 1),
  ].filter((path) => !pinned.some((keep) => startsWith(keep, path) || startsWith(path, keep)));
  // No argument to replace: an extra argument is the only change.
  if (paths.length === 0) return ARG.map((value) => [...sample, value]);
  return fc
    .tuple(fc.constantFrom(...paths), ARG)
    .map(([path, value]) => replaced([...sample], path, value) as unknown[]);
}

/** True for a class (called with `new`), as opposed to a plain function. */
export function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

// Built-in prototypes: their methods are the platform's, not this package's.
const BUILT_IN = new Set<object>([
  Object.prototype,
  Array.prototype,
  Function.prototype,
  Set.prototype,
  Map.prototype,
  EventEmitter.prototype,
  Error.prototype,
  Promise.prototype,
]);

/** The names of the methods of `value`: own function properties and its prototypes' up to a built-in one. */
export function methodsOf(value: object): string[] {
  const names = new Set<string>();
  for (let at: object | null = value; at !== null && !BUILT_IN.has(at); at = Object.getPrototypeOf(at)) {
    for (const name of Object.getOwnPropertyNames(at)) {
      if (name === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(at, name);
      if (typeof descriptor?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

/** What one call ended with. */
export type Outcome = { readonly returned: unknown } | { readonly threw: unknown };

function checkThrown(
  label: string,
  args: readonly unknown[],
  thrown: unknown,
  allow?: (e: unknown) => boolean,
): void {
  if (allow?.(thrown)) return;
  if (!isForcedTlsError(thrown)) {
    const shown = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : typeof thrown;
    expect.fail(`${label} threw ${shown} for arguments ${describeArgs(args)}`);
  }
  // toJSON() must always serialize.
  const text = JSON.stringify(thrown);
  expect(JSON.parse(text).code, label).toBe(thrown.code);
}

function describeArgs(args: readonly unknown[]): string {
  return args
    .map((a) => {
      try {
        return typeof a === 'object' && a !== null ? Object.prototype.toString.call(a) : typeof a;
      } catch {
        return 'an unreadable object';
      }
    })
    .join(', ');
}

/** Options of {@link callBounded}. */
export interface CallOptions {
  /** The longest a call (or its promise) may take. */
  readonly limitMs: number;
  /** Thrown values besides ForcedTlsError that are the function's answer (assertDecisions' AssertionError). */
  readonly allow?: (thrown: unknown) => boolean;
  readonly construct?: boolean;
}

/**
 * Calls `fn` with `args` (with `new` for a class) and checks the outcome: it returned (or resolved), or it
 * threw (or rejected) a ForcedTlsError whose JSON serializes, within `limitMs`.
 */
export async function callBounded(
  label: string,
  fn: (...args: unknown[]) => unknown,
  self: unknown,
  args: readonly unknown[],
  options: CallOptions,
): Promise<Outcome> {
  const started = performance.now();
  let result: unknown;
  try {
    result = options.construct ? Reflect.construct(fn, args) : Reflect.apply(fn, self, args);
  } catch (error) {
    expect(performance.now() - started, `${label} took too long to throw`).toBeLessThan(options.limitMs);
    checkThrown(label, args, error, options.allow);
    return { threw: error };
  }
  expect(performance.now() - started, `${label} took too long to return`).toBeLessThan(options.limitMs);
  if (!(result instanceof Promise)) return { returned: result };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), options.limitMs);
  });
  const settled = await Promise.race([
    result.then(
      (value) => ({ returned: value }) as Outcome,
      (error: unknown) => ({ threw: error }) as Outcome,
    ),
    late,
  ]);
  clearTimeout(timer);
  if (settled === 'late')
    expect.fail(`${label} did not settle within ${options.limitMs} ms for ${describeArgs(args)}`);
  if ('threw' in settled) checkThrown(label, args, settled.threw, options.allow);
  return settled;
}
