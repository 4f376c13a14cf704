/**
 * Reads Postfix policy-delegation requests (SMTPD_POLICY_README): `name=value` lines ended by
 * LF, one empty line ending a request, any number of requests per connection. Strict and bounded:
 * a line longer than `maxLineLength`, more than `maxAttributes` attributes, a line without `=`,
 * a malformed name or a repeated attribute is a protocol error, after which the connection must
 * be closed (Postfix then applies `smtpd_policy_service_default_action`, `451 4.3.5` by default).
 */

/** One request: attribute name → value (values as sent; unset ones are empty). */
export type PolicyAttributes = ReadonlyMap<string, string>;

/** Why a byte stream is not a sequence of policy requests. */
export type PolicyRequestProblem =
  | 'line_too_long'
  | 'too_many_attributes'
  | 'line_without_equals'
  | 'bad_attribute_name'
  | 'repeated_attribute'
  | 'not_utf8';

/** What {@link PolicyRequestReader.push} found so far. */
export type PolicyRequestResult =
  | {
      /** True: the bytes so far are well-formed (a request may still be incomplete). */
      readonly ok: true;
      /** The requests these bytes completed, in order; empty when none was completed. */
      readonly requests: readonly PolicyAttributes[];
    }
  | {
      /** False: a protocol error; the reader stays failed and the connection must be closed. */
      readonly ok: false;
      /** What was wrong with the stream. */
      readonly problem: PolicyRequestProblem;
      /** The requests completed before the problem in the same chunk (empty on later calls). */
      readonly requests: readonly PolicyAttributes[];
    };

/** Limits of {@link PolicyRequestReader}. */
export interface PolicyRequestLimits {
  /** @default 8192 */
  readonly maxLineLength?: number;
  /** @default 100 */
  readonly maxAttributes?: number;
}

import { argumentError, isInstance, readArgument } from '../errors/index.js';

const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const LF = 0x0a;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function limit(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) <= 0)
    throw argumentError(path, value, 'a positive integer');
  return value as number;
}

/**
 * An incremental reader for one connection.
 *
 * @example
 * ```ts
 * const reader = new PolicyRequestReader({ maxLineLength: 8192 });
 * socket.on('data', (chunk) => {
 *   const result = reader.push(chunk);
 *   for (const request of result.requests) answer(request.get('sender'));
 *   if (!result.ok) socket.destroy();
 * });
 * ```
 */
export class PolicyRequestReader {
  readonly #maxLine: number;
  readonly #maxAttributes: number;
  #partial: Buffer = Buffer.alloc(0);
  #current = new Map<string, string>();
  #failed: PolicyRequestProblem | undefined;

  /** Limits of the wrong kind (not positive integers) throw `EPOLICY` naming the field. */
  constructor(limits: PolicyRequestLimits = {}) {
    const l = readArgument(
      'limits',
      limits,
      { maxLineLength: 'number', maxAttributes: 'number' },
      { optional: true },
    );
    this.#maxLine = limit('limits.maxLineLength', l.maxLineLength, 8192);
    this.#maxAttributes = limit('limits.maxAttributes', l.maxAttributes, 100);
  }

  /** Adds received bytes; returns the requests they completed. A failed reader stays failed. */
  push(chunk: Buffer): PolicyRequestResult {
    if (!isInstance(chunk, Buffer)) throw argumentError('chunk', chunk, 'a Buffer');
    if (this.#failed !== undefined) return { ok: false, problem: this.#failed, requests: [] };
    const requests: PolicyAttributes[] = [];
    let data = this.#partial.length === 0 ? chunk : Buffer.concat([this.#partial, chunk]);
    for (;;) {
      const end = data.indexOf(LF);
      if (end < 0) break;
      if (end > this.#maxLine) return this.#fail('line_too_long', requests);
      const problem = this.#line(data.subarray(0, end), requests);
      if (problem !== undefined) return this.#fail(problem, requests);
      data = data.subarray(end + 1);
    }
    if (data.length > this.#maxLine) return this.#fail('line_too_long', requests);
    this.#partial = data;
    return { ok: true, requests };
  }

  #line(raw: Buffer, requests: PolicyAttributes[]): PolicyRequestProblem | undefined {
    const bytes = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw;
    if (bytes.length === 0) {
      // An empty line ends the request; an empty line with no attributes before it is ignored.
      if (this.#current.size > 0) requests.push(this.#current);
      this.#current = new Map();
      return undefined;
    }
    let line: string;
    try {
      line = UTF8.decode(bytes);
    } catch {
      return 'not_utf8';
    }
    const eq = line.indexOf('=');
    if (eq < 0) return 'line_without_equals';
    const name = line.slice(0, eq);
    if (!NAME.test(name)) return 'bad_attribute_name';
    if (this.#current.has(name)) return 'repeated_attribute';
    if (this.#current.size >= this.#maxAttributes) return 'too_many_attributes';
    this.#current.set(name, line.slice(eq + 1));
    return undefined;
  }

  #fail(problem: PolicyRequestProblem, requests: PolicyAttributes[]): PolicyRequestResult {
    this.#failed = problem;
    this.#partial = Buffer.alloc(0);
    this.#current = new Map();
    return { ok: false, problem, requests };
  }
}
