import { expect } from 'vitest';
import { type ErrorCode, isForcedTlsError } from '../../src/errors/index.js';

/** What a typed refusal must look like. */
export interface Expected {
  readonly code: ErrorCode;
  /** The field path the error names; `undefined` skips the check. */
  readonly path?: string;
}

/**
 * Runs `call` (sync or async) and returns the ForcedTlsError it threw or rejected with. Fails when it
 * returned, threw anything else, or the error does not serialize with `JSON.stringify`.
 */
export async function typedError(call: () => unknown, expected: Expected): Promise<Error> {
  let thrown: unknown;
  let threw = false;
  try {
    await call();
  } catch (error) {
    thrown = error;
    threw = true;
  }
  expect(threw, 'the call returned instead of throwing').toBe(true);
  if (!isForcedTlsError(thrown)) {
    const shown = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    expect.fail(`expected a ForcedTlsError ${expected.code}, got ${shown}`);
  }
  expect(thrown.code).toBe(expected.code);
  if (expected.path !== undefined) expect(thrown.path).toBe(expected.path);
  const text = JSON.stringify(thrown);
  expect(typeof text).toBe('string');
  expect(JSON.parse(text)).toMatchObject({ code: expected.code });
  return thrown;
}
