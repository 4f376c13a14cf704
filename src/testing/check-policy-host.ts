import { argumentError, isInstance, readShape, stringArgument } from '../errors/index.js';
import { recordEntries, stringList } from './check-arguments.js';
import type { TestCa } from './test-ca.js';
import type { TestPolicyResponse } from './test-policy-host-types.js';

// The test policy host checks its options like the test MX does: a wrong type is EPOLICY naming
// the option, never a TypeError from inside the HTTPS server or the certificate builder.

const SUBJECT = 'test option';
const CERTIFICATES = [
  'valid',
  'expired',
  'not-yet-valid',
  'wrong-name',
  'self-signed',
  'unknown-ca',
  'cn-only',
];
const RESPONSE_FIELDS = {
  body: 'any',
  status: 'number',
  contentType: 'any',
  headers: 'object',
  certificate: CERTIFICATES,
  certificateNames: 'array',
  stall: ['response', 'trickle', 'cut'],
} as const;

/**
 * One policy domain's answer: a body string, or a {@link TestPolicyResponse} read once and checked.
 *
 * @example
 * ```ts
 * policyAnswer('policies.mandant.test', { status: 404 }); // a plain copy
 * ```
 */
export function policyAnswer(path: string, answer: unknown): TestPolicyResponse {
  if (typeof answer === 'string') return { body: answer };
  const r = readShape(answer, RESPONSE_FIELDS, { path, optional: false, subject: SUBJECT });
  if (r.body !== undefined && typeof r.body !== 'string' && !isInstance(r.body, Buffer)) {
    throw argumentError(`${path}.body`, r.body, 'a string or a Buffer', 'EPOLICY', SUBJECT);
  }
  if (r.contentType !== undefined && r.contentType !== null && typeof r.contentType !== 'string') {
    throw argumentError(`${path}.contentType`, r.contentType, 'a string or null', 'EPOLICY', SUBJECT);
  }
  if (
    r.status !== undefined &&
    (!Number.isInteger(r.status) || (r.status as number) < 100 || (r.status as number) > 599)
  ) {
    throw argumentError(`${path}.status`, r.status, 'an HTTP status (100-599)', 'EPOLICY', SUBJECT);
  }
  stringList(`${path}.certificateNames`, r.certificateNames);
  const headers = recordEntries(`${path}.headers`, r.headers, (at, value) => {
    if (typeof value !== 'string') throw argumentError(at, value, 'a string', 'EPOLICY', SUBJECT);
  });
  return {
    ...r,
    ...(r.headers === undefined ? {} : { headers: Object.fromEntries(headers) }),
  } as TestPolicyResponse;
}

/**
 * The options of `startTestPolicyHost`, read once: the CA and the answers by lowercase domain.
 *
 * @example
 * ```ts
 * checkPolicyHostOptions({ policies: { 'mandant.test': 'version: STSv1\n…' } });
 * ```
 */
export function checkPolicyHostOptions(input: unknown): {
  readonly ca: TestCa | undefined;
  readonly policies: [string, TestPolicyResponse][];
} {
  const options = readShape(input, { policies: 'object', ca: 'object' }, { subject: SUBJECT });
  if (options.ca !== undefined) {
    const ca = readShape(
      options.ca,
      { cert: 'string', key: 'string', issue: 'function' },
      { path: 'ca', subject: SUBJECT },
    );
    if (ca.issue === undefined)
      throw argumentError('ca', options.ca, 'a TestCa (createTestCa())', 'EPOLICY', SUBJECT);
  }
  const answers: [string, TestPolicyResponse][] = [];
  recordEntries('policies', options.policies, (at, answer) => {
    answers.push([at.slice('policies.'.length).toLowerCase(), policyAnswer(at, answer)]);
  });
  return { ca: options.ca as TestCa | undefined, policies: answers };
}

/**
 * A policy domain argument of the host's methods (`requestsFor`, `setPolicy`).
 *
 * @example
 * ```ts
 * policyDomain('domain', 'Mandant.test'); // 'mandant.test'
 * ```
 */
export function policyDomainArgument(path: string, value: unknown): string {
  return stringArgument(path, value).toLowerCase();
}
