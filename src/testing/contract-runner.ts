import { ForcedTlsError } from '../errors/index.js';
import { type FieldKind, readShape } from '../internal/index.js';

/** The test function of any runner: vitest's or jest's `test`, node:test's `test`, mocha's `it`. */
export type ContractTest = (name: string, fn: () => Promise<void>) => unknown;

/** A store the contract suites can close: `close()` is optional. */
interface Closable {
  close?(): Promise<void> | void;
}

/**
 * The arguments of a contract suite (`runWhitelistStoreContract`, `runMtaStsCacheContract`) checked
 * alike: `test` and `createStore` functions, the options read once with their kinds, `manyEntries`
 * a positive integer; anything else is `EPOLICY` naming the argument or option.
 */
export function readContractArguments<O extends { readonly manyEntries?: number }>(
  suite: string,
  test: unknown,
  createStore: unknown,
  input: unknown,
  fields: Readonly<Record<string, FieldKind>>,
): O {
  if (typeof test !== 'function' || typeof createStore !== 'function') {
    const path = typeof test !== 'function' ? 'test' : 'createStore';
    throw new ForcedTlsError('EPOLICY', `${suite}: ${path} must be a function`, { path });
  }
  const options = readShape(input, fields, { subject: 'contract option' }) as O;
  const many = options.manyEntries;
  if (many !== undefined && (!Number.isInteger(many) || many < 1)) {
    throw new ForcedTlsError('EPOLICY', `${suite}: manyEntries must be a positive integer`, {
      path: 'manyEntries',
      value: many,
    });
  }
  return options;
}

/**
 * Registers one contract test: a fresh store from `createStore`, the body, and the store closed once
 * afterwards — also when the body closed it itself (before reopening it).
 */
export function contractCase<S extends Closable>(
  test: ContractTest,
  prefix: string,
  createStore: () => S | Promise<S>,
): (name: string, body: (store: S, close: () => Promise<void>) => Promise<void>) => void {
  return (name, body) => {
    test(`${prefix}: ${name}`, async () => {
      const store = await createStore();
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await store.close?.();
      };
      try {
        await body(store, close);
      } finally {
        await close();
      }
    });
  };
}
